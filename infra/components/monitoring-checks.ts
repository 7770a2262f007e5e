/** The public endpoints of an app, the synthetic checks that watch them and their alert rules; pure. */
import { resolveService, type AlertThresholds, type AppSpec, type EnvironmentProfile } from "../config";
import { flyAppName, serviceHostname, siteHostname } from "../naming";
import type { FlyServiceArgs } from "../providers/fly";
import { machineNetworking } from "./fly-machine-config";
import type { FlyFleet, PromRule } from "./monitoring-rules";

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

/**
 * Machines of a service that stay running: all of them, unless its proxy service lets Fly stop idle
 * machines (`autostop`), which keeps only `min_machines_running` of them.
 */
export function machinesKeptRunning(replicas: number, services: readonly FlyServiceArgs[]): number {
  const stoppable = services.filter((s) => s.autostop !== undefined && s.autostop !== "off");
  if (stoppable.length === 0) return replicas;
  return Math.min(replicas, Math.max(...stoppable.map((s) => s.minMachinesRunning ?? 0)));
}

/** The Fly apps whose metrics the rules read, and the machines each keeps running. */
export function flyTargets(app: string, spec: AppSpec, env: EnvironmentProfile): FlyFleet {
  const enabled = Object.entries(spec.services)
    .filter(([, s]) => s.enabled)
    .map(([service, s]) => ({ flyApp: flyAppName(app, service, env, s), spec: resolveService(s, env) }));
  return {
    all: enabled.map((s) => s.flyApp),
    public: enabled.filter((s) => s.spec.kind === "web" && s.spec.public).map((s) => s.flyApp),
    running: Object.fromEntries(
      enabled.map((s) => [
        s.flyApp,
        machinesKeptRunning(s.spec.replicas, machineNetworking(s.spec).services),
      ]),
    ),
  };
}

/** The check's timeout: the app's response-time threshold when it has one, within the provider's bounds. */
export function checkTimeoutMs(thresholds: AlertThresholds): number {
  return Math.min(Math.max(thresholds.responseTimeMs ?? DEFAULT_TIMEOUT_MS, 1000), MAX_TIMEOUT_MS);
}

/** The window over which a check's failures and response times are counted. */
const CHECK_WINDOW = "5m";

/**
 * Alert rules over Synthetic Monitoring's metrics for the app's checks (their `job` labels): a
 * failed execution from any probe in 5 minutes, the average response time above the app's
 * threshold, a certificate expiring within TLS_EXPIRY_DAYS. Metric and label names are the agent's
 * (grafana/synthetic-monitoring-agent, internal/scraper): `probe_all_success` is a summary of
 * `probe_success` over executions, `probe_all_duration_seconds` one of `probe_duration_seconds`.
 */
export function checkRules(thresholds: AlertThresholds, jobs: readonly string[]): PromRule[] {
  if (jobs.length === 0) return [];
  // Job names are `<app>-<stack>-<part>`, `[a-z0-9-]`: an alternation of them needs no escaping.
  const job = `job=~"${jobs.join("|")}"`;
  const rules: PromRule[] = [
    {
      monitor: "check-failing",
      name: "CheckFailing",
      expr:
        `sum by (job, instance) (floor(increase(probe_all_success_count{${job}}[${CHECK_WINDOW}])` +
        ` - increase(probe_all_success_sum{${job}}[${CHECK_WINDOW}]))) >= 1`,
      for: "0s",
      summary: "A synthetic check failed in the last 5 minutes.",
    },
    {
      monitor: "tls-expiry",
      name: "TlsCertificateExpiring",
      // Days short of the margin: above 0 from TLS_EXPIRY_DAYS before expiry, and after it.
      expr: `${TLS_EXPIRY_DAYS} - (min by (job, instance) (probe_ssl_earliest_cert_expiry{${job}}) - time()) / 86400 > 0`,
      for: "0s",
      summary: `The endpoint's TLS certificate expires within ${TLS_EXPIRY_DAYS} days.`,
    },
  ];
  if (thresholds.responseTimeMs !== undefined) {
    rules.push({
      monitor: "check-latency",
      name: "CheckResponseTime",
      expr:
        `1000 * sum by (job, instance) (rate(probe_all_duration_seconds_sum{${job}}[${CHECK_WINDOW}]))` +
        ` / sum by (job, instance) (rate(probe_all_duration_seconds_count{${job}}[${CHECK_WINDOW}])) > ${thresholds.responseTimeMs}`,
      for: "0s",
      summary: `The endpoint's average response time is above ${thresholds.responseTimeMs} ms over 5 minutes.`,
    });
  }
  return rules;
}
