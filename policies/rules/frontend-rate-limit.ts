/** Checklist 5 — rate limiting, at the edge: every production Vercel project's firewall limits each client. */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { ofType, takesFrom } from "./lib/graph";
import { PRODUCTION_DEFAULTS, PRODUCTION_STACKS_SCHEMA } from "./lib/production";
import { VERCEL } from "./lib/types";
import { isRecord, list, num, record, settings, stackOfUrn, type Props } from "./lib/values";

/** A firewall custom rule whose action is an active `rate_limit` with a positive limit. */
function isRateLimitRule(rule: Props): boolean {
  const action = record(rule["action"]);
  const limit = num(record(action?.["rateLimit"])?.["limit"]);
  return rule["active"] !== false && action?.["action"] === "rate_limit" && limit !== undefined && limit > 0;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const { productionStacks } = settings(args, PRODUCTION_DEFAULTS);
  const firewalls = ofType(args.resources, VERCEL.firewall);
  for (const project of ofType(args.resources, VERCEL.project)) {
    if (!productionStacks.includes(stackOfUrn(project.urn))) continue;
    const own = firewalls.filter((f) => takesFrom(f, "projectId", project));
    const limited = own.some((f) => {
      const props = f.props as Props;
      const rules = list(record(props["rules"])?.["rules"]).filter(isRecord);
      return props["enabled"] !== false && rules.some(isRateLimitRule);
    });
    if (!limited) {
      report(
        own.length === 0
          ? "the production project has no firewall configuration"
          : "the production project's firewall has no active rate_limit rule",
        project.urn,
      );
    }
  }
}

export const frontendRateLimit = stackRule({
  name: "frontend-rate-limit",
  description: "Every production Vercel project has an enabled firewall with an active rate_limit rule.",
  severity: "medium",
  checklistItem: 5,
  remediationSteps: [
    "1. Set frontend.rateLimit (requests per window per client IP) on the app in the catalog.",
    "2. The Frontend component turns it into a firewall rule with the rate_limit action.",
  ].join("\n"),
  resourceTypes: [VERCEL.project, VERCEL.firewall],
  configSchema: { properties: { ...PRODUCTION_STACKS_SCHEMA } },
  validateStack: validate,
});
