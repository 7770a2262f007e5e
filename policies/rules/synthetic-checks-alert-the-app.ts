/**
 * Checklist 8 — monitoring: every public endpoint of an app has a synthetic check, a rule alerts on
 * the check's failures, and every rule on the check reaches the app's own channel (routes to the
 * app's contact point), not the organisation's default policy.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { apps, byApp } from "./lib/graph";
import { FLY, GRAFANA, VERCEL } from "./lib/types";
import { list, record, text, type Props } from "./lib/values";

/** The `monitor` label of the rule that fires when a check fails. */
const CHECK_FAILING = "check-failing";

const props = (r: PolicyResource): Props => r.props as Props;

function hostOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The `job` values a rule's PromQL queries select: `job="a"` or `job=~"a|b"` (no other regex). */
function jobsQueried(rule: Props): Set<string> {
  const jobs = new Set<string>();
  for (const data of list(rule["datas"])) {
    const model = text(record(data)?.["model"]);
    if (model === undefined) continue;
    let expr: string | undefined;
    try {
      expr = text(record(JSON.parse(model))?.["expr"]);
    } catch {
      continue;
    }
    for (const match of (expr ?? "").matchAll(/\bjob=~?"([^"]*)"/g)) {
      for (const job of match[1]!.split("|")) jobs.add(job);
    }
  }
  return jobs;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const grouped = byApp(args.resources);
  for (const [name, app] of apps(args.resources)) {
    const own = grouped.get(name) ?? [];
    const of = (type: string) => own.filter((r) => r.type === type);

    const checks = of(GRAFANA.check);
    const checked = new Set(checks.map((c) => hostOf(props(c)["target"])));
    const endpoints = [
      ...of(VERCEL.domain).map((d) => props(d)["domain"]),
      ...of(FLY.certificate).map((c) => props(c)["hostname"]),
    ].filter((h): h is string => typeof h === "string");
    for (const host of endpoints) {
      if (!checked.has(host)) report(`${name}'s public endpoint ${host} has no synthetic check`, app.urn);
    }

    const contactPoints = new Set(
      of(GRAFANA.contactPoint)
        .filter((r) => props(r)["discords"] !== undefined)
        .map((r) => text(props(r)["name"])),
    );
    const rules = of(GRAFANA.ruleGroup)
      .flatMap((g) => list(props(g)["rules"]))
      .map((rule) => record(rule) ?? {});
    const monitorOf = (rule: Props) => text(record(rule["labels"])?.["monitor"]);
    for (const check of checks) {
      const job = text(props(check)["job"]);
      const watching = rules.filter((rule) => job !== undefined && jobsQueried(rule).has(job));
      if (!watching.some((rule) => monitorOf(rule) === CHECK_FAILING)) {
        report(`${name}'s synthetic check ${job ?? check.name} has no alert rule on its failures`, app.urn);
      }
      const elsewhere = watching.filter(
        (rule) => !contactPoints.has(text(record(rule["notificationSettings"])?.["contactPoint"])),
      );
      if (elsewhere.length > 0) {
        const what = elsewhere.map((rule) => monitorOf(rule) ?? text(rule["name"]) ?? "unnamed").join(", ");
        report(
          `${name}'s synthetic check ${job} sends its alerts (${what}) elsewhere than the app's contact point`,
          app.urn,
        );
      }
    }
  }
}

export const syntheticChecksAlertTheApp = stackRule({
  name: "synthetic-checks-alert-the-app",
  description:
    "Every public endpoint has a synthetic check whose failures alert, and its alerts go to the app's own contact point.",
  severity: "medium",
  checklistItem: 8,
  remediationSteps: [
    "1. Keep the app's alerts block in the catalog: the Monitoring component checks each public endpoint.",
    "2. The check's rules (group `<app>-<stack>-checks`) must name the app's contact point in their notification settings.",
  ].join("\n"),
  resourceTypes: [GRAFANA.check, GRAFANA.ruleGroup, GRAFANA.contactPoint, VERCEL.domain, FLY.certificate],
  validateStack: validate,
});
