/** The public endpoints of an app and the synthetic checks that watch them; pure. */
import type { AlertThresholds, AppSpec, EnvironmentProfile } from "../config";
import { flyAppName, serviceHostname, siteHostname } from "../naming";
import type { FlyTargets } from "./monitoring-rules";

/** Every check runs once a minute (seed 003: "checked every minute"). */
export const CHECK_FREQUENCY_MS = 60_000;
/** Synthetic Monitoring's ceiling for an HTTP check's timeout (provider: 1000–180000 ms). */
const MAX_TIMEOUT_MS = 180_000;
/** A check answering within this long passes; seed 003: `/health` within 30 s. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Days before a TLS certificate expires at which its check alerts. */
export const TLS_EXPIRY_DAYS = 14;

export interface Endpoint {
  /** `frontend` or the service's name; names the check. */
  part: string;
  url: string;
  /** Status codes that count as up (an empty list: any 2xx, the probe's default). */
  validStatusCodes: number[];
}

/** The site's domain (frontend) and each public web service's health path. */
export function publicEndpoints(app: string, spec: AppSpec, env: EnvironmentProfile): Endpoint[] {
  const endpoints: Endpoint[] = [];
  if (spec.frontend) {
    endpoints.push({
      part: "frontend",
      url: `https://${siteHostname(app, spec, env)}/`,
      validStatusCodes: [],
    });
  }
  for (const [service, s] of Object.entries(spec.services)) {
    if (!s.enabled || s.kind !== "web" || s.public === false) continue;
    const path = s.healthCheck?.path ?? "/health";
    endpoints.push({
      part: service,
      url: `https://${serviceHostname(app, service, spec, env)}${path}`,
      validStatusCodes: [200],
    });
  }
  return endpoints;
}

/** The Fly apps whose metrics the rules read. */
export function flyTargets(app: string, spec: AppSpec, env: EnvironmentProfile): FlyTargets {
  const enabled = Object.entries(spec.services).filter(([, s]) => s.enabled);
  return {
    all: enabled.map(([service, s]) => flyAppName(app, service, env, s)),
    public: enabled
      .filter(([, s]) => s.kind === "web" && s.public !== false)
      .map(([service, s]) => flyAppName(app, service, env, s)),
  };
}

/** The check's timeout: the app's response-time threshold when it has one, within the provider's bounds. */
export function checkTimeoutMs(thresholds: AlertThresholds): number {
  return Math.min(Math.max(thresholds.responseTimeMs ?? DEFAULT_TIMEOUT_MS, 1000), MAX_TIMEOUT_MS);
}

export interface CheckAlert {
  name:
    "ProbeFailedExecutionsTooHigh" | "TLSTargetCertificateCloseToExpiring" | "HTTPRequestDurationTooHighAvg";
  threshold: number;
  period: "" | "5m" | "10m" | "15m" | "20m" | "30m" | "1h";
}

/**
 * Per-check alerts (grafana_synthetic_monitoring_check_alerts): failures, TLS expiry and, where the
 * app sets one, average response time above its threshold (ms).
 */
export function checkAlerts(thresholds: AlertThresholds): CheckAlert[] {
  const alerts: CheckAlert[] = [
    { name: "ProbeFailedExecutionsTooHigh", threshold: 1, period: "5m" },
    { name: "TLSTargetCertificateCloseToExpiring", threshold: TLS_EXPIRY_DAYS, period: "" },
  ];
  if (thresholds.responseTimeMs !== undefined) {
    alerts.push({
      name: "HTTPRequestDurationTooHighAvg",
      threshold: thresholds.responseTimeMs,
      period: "5m",
    });
  }
  return alerts;
}
