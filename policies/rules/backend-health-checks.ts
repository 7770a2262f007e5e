/** Checklist 8 — monitoring, per backend service: every listening machine is health-checked. */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { checksOf, isHttpService, services } from "./lib/fly";
import { FLY } from "./lib/types";
import type { Props } from "./lib/values";

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  if (args.type !== FLY.machine) return;
  const props = args.props as Props;
  const listening = services(props);
  if (listening.length === 0) return;
  const checks = checksOf(props);
  if (checks.length === 0) {
    report("the machine serves traffic but has no health check");
  } else if (listening.some(isHttpService) && !checks.some((c) => c.type === "http" && c.path)) {
    report("the machine serves HTTP but has no HTTP health check on a path (e.g. /health)");
  }
}

export const backendHealthChecks = resourceRule({
  name: "backend-health-checks",
  description: "Every Fly machine that serves traffic has a health check (an HTTP one for HTTP services).",
  severity: "medium",
  checklistItem: 8,
  remediationSteps: [
    "1. Set services.<name>.healthCheck in the catalog (web services default to /health).",
    "2. The Backend component turns it into the machine's HTTP check.",
  ].join("\n"),
  resourceTypes: [FLY.machine],
  validateResource: validate,
});
