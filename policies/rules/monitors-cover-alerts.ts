/**
 * Checklist 8 — monitoring: every threshold an app declares is evaluated by a monitor, and every
 * app's alerts have a contact point to go to (its public endpoints: synthetic-checks-alert-the-app).
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { apps, byApp } from "./lib/graph";
import { GRAFANA } from "./lib/types";
import { list, type Props } from "./lib/values";

/** The monitor labels of the alert rules that evaluate each threshold key. */
const EVALUATED_BY: Record<string, string[]> = {
  http5xx: ["http-5xx"],
  responseTimeMs: ["latency-p95", "check-latency"],
  resourceUtilizationPercent: ["memory"],
  databaseDown: ["database-down"],
  failureRatePercent: ["failure-rate"],
  queueSize: ["queue-size"],
};

const props = (r: PolicyResource): Props => r.props as Props;

function declaredThresholds(monitoring: PolicyResource): string[] {
  const thresholds = (props(monitoring)["thresholds"] ?? {}) as Record<string, unknown>;
  return Object.entries(thresholds)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key]) => key);
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const grouped = byApp(args.resources);
  for (const [name, app] of apps(args.resources)) {
    const own = grouped.get(name) ?? [];
    const of = (type: string) => own.filter((r) => r.type === type);

    const contactPoints = of(GRAFANA.contactPoint).filter((r) => props(r)["discords"] !== undefined);
    if (contactPoints.length === 0) report(`${name} has no contact point for its alerts`, app.urn);

    const monitors = new Set(
      of(GRAFANA.ruleGroup).flatMap((g) =>
        list(props(g)["rules"]).map((rule) => ((rule as Props)["labels"] as Props | undefined)?.["monitor"]),
      ),
    );
    for (const monitoring of of(GRAFANA.monitoring)) {
      for (const key of declaredThresholds(monitoring)) {
        const evaluated = (EVALUATED_BY[key] ?? []).some((m) => monitors.has(m));
        if (!evaluated) report(`${name} declares the threshold ${key}, which no monitor evaluates`, app.urn);
      }
    }
    if (of(GRAFANA.monitoring).length === 0) report(`${name} has no monitoring`, app.urn);
  }
}

export const monitorsCoverAlerts = stackRule({
  name: "monitors-cover-alerts",
  description: "Every declared alert threshold is evaluated by a monitor, and every app has a contact point.",
  severity: "medium",
  checklistItem: 8,
  remediationSteps: [
    "1. Keep the app's alerts block in the catalog: the Monitoring component declares its checks and rules.",
    "2. A threshold needs data to evaluate: Fly.io services, a database, or an alerts.metrics contract (docs/monitoring.md).",
    "3. Store the channel's webhook URL with `pulumi config set --secret`; the contact point takes it.",
  ].join("\n"),
  resourceTypes: [GRAFANA.monitoring, GRAFANA.contactPoint, GRAFANA.ruleGroup],
  validateStack: validate,
});
