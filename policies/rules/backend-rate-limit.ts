/** Checklist 5 — rate limiting, in the backend: every HTTP service is told its per-client limit. */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { envEntries } from "./lib/env";
import { isHttpService, services } from "./lib/fly";
import { isRateLimitName } from "./lib/names";
import { FLY } from "./lib/types";
import { numeric, type Props } from "./lib/values";

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  if (args.type !== FLY.machine) return;
  const props = args.props as Props;
  if (!services(props).some(isHttpService)) return;
  const limits = envEntries(args.type, props).filter((e) => isRateLimitName(e.key));
  if (limits.length === 0) {
    report("the machine serves HTTP but its environment sets no rate limit (e.g. RATE_LIMIT_PER_MINUTE)");
    return;
  }
  for (const limit of limits) {
    const value = numeric(limit.value);
    if (value === undefined || value <= 0) report(`${limit.key} is not a positive number`);
  }
}

export const backendRateLimit = resourceRule({
  name: "backend-rate-limit",
  description: "Every Fly machine serving HTTP enforces a per-client rate limit set in its environment.",
  severity: "medium",
  checklistItem: 5,
  remediationSteps: [
    "1. Set services.<name>.rateLimitPerMinute on the app in the catalog.",
    "2. The Backend component passes it to the service as RATE_LIMIT_PER_MINUTE; enforce it in the app.",
  ].join("\n"),
  resourceTypes: [FLY.machine],
  validateResource: validate,
});
