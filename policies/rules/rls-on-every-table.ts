/**
 * Checklist 3 — Row Level Security on every table: each table the catalog declares has its RLS
 * resource (ENABLE and FORCE, with its policies) in the stack, with at least one policy unless the
 * table is reserved to the service role.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { PG } from "./lib/types";
import { list, record, text, type Props } from "./lib/values";

function sameTable(declared: string, resource: PolicyResource): boolean {
  const table = text((resource.props as Props)["table"]);
  return table === declared || table === `public.${declared}`;
}

function policyCount(resource: PolicyResource): number {
  const props = resource.props as Props;
  const rls = record(props["rls"]);
  // The owner and tenant models always generate one policy per command.
  const generated = rls?.["model"] === "policies" ? list(rls["policies"]).length : 4;
  return generated + list(props["additionalPolicies"]).length;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  for (const { app, spec, urn, resources } of catalogApps(args.resources, context)) {
    const tables = spec.database?.tables ?? {};
    const rlsResources = resources.filter((r) => r.type === PG.tableRls);
    for (const [table, declared] of Object.entries(tables)) {
      const found = rlsResources.filter((r) => sameTable(table, r));
      if (found.length === 0) {
        report(
          `${app}: table ${table} is declared in the catalog but has no Row Level Security resource`,
          urn,
        );
        continue;
      }
      for (const resource of found) {
        if (policyCount(resource) === 0 && declared.rls.model !== "service-only") {
          report(`${app}: table ${table} has Row Level Security but no policy`, resource.urn);
        }
      }
    }
  }
}

export const rlsOnEveryTable = stackRule({
  name: "rls-on-every-table",
  description:
    "Every table the catalog declares has Row Level Security enabled and forced, with at least one policy.",
  severity: "critical",
  checklistItem: 3,
  remediationSteps: [
    "1. Give the app a database part: the Database component declares one TableRowLevelSecurity per table.",
    "2. Give each table an RLS model in the catalog (tenant, owner, policies or service-only).",
    "3. A `policies` model needs at least one policy; use `service-only` for back-office tables.",
  ].join("\n"),
  resourceTypes: [PG.tableRls],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
