/**
 * Checklist 3 — a table that grants tenancy cannot be written by its members: every table a
 * tenant-model table reads its members from is declared with the membership model (members read
 * their own rows; only an admin adds members, to its own tenant) and no other policy lets an API
 * role write it. Otherwise a user adds itself to any tenant and reads every tenant's rows.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { PG } from "./lib/types";
import { list, record, text, type Props } from "./lib/values";

const API_ROLES = ["anon", "authenticated", "public"];
const WRITES = ["insert", "update", "delete", "all"];

const tableOf = (resource: PolicyResource): string =>
  (text((resource.props as Props)["table"]) ?? "").replace(/^public\./, "");

/** Names of the policies letting an API role write, among explicit and additional ones. */
function apiWrites(props: Props): string[] {
  const rls = record(props["rls"]);
  const policies = [
    ...(rls?.["model"] === "policies" ? list(rls["policies"]) : []),
    ...list(props["additionalPolicies"]),
  ];
  return policies
    .map((p) => record(p) ?? {})
    .filter((p) => WRITES.includes(String(p["command"]).toLowerCase()))
    .filter((p) => list(p["roles"]).some((r) => API_ROLES.includes(String(r).toLowerCase())))
    .map((p) => String(p["name"]));
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const rlsResources = args.resources.filter((r) => r.type === PG.tableRls);
  // A membership table is per app: tenant tables and the table they name share the app's database.
  const parentOf = (r: PolicyResource) => r.parent?.urn;
  for (const tenant of rlsResources) {
    const rls = record((tenant.props as Props)["rls"]);
    if (rls?.["model"] !== "tenant") continue;
    const table = (text(rls["membershipTable"]) ?? "").replace(/^public\./, "");
    const membership = rlsResources.filter((r) => tableOf(r) === table && parentOf(r) === parentOf(tenant));
    for (const resource of membership) {
      const props = resource.props as Props;
      const model = text(record(props["rls"])?.["model"]);
      if (model !== "membership") {
        report(
          `table ${table} grants tenancy to ${tableOf(tenant)} but its RLS model is ${model ?? "unset"}: its members can write it`,
          resource.urn,
        );
      }
      const writes = apiWrites(props);
      if (writes.length > 0) {
        report(
          `table ${table} grants tenancy but policies ${writes.join(", ")} let API roles write it`,
          resource.urn,
        );
      }
    }
  }
}

export const membershipNotMemberWritable = stackRule({
  name: "membership-not-member-writable",
  description:
    "Tables that grant tenancy use the membership model: no user adds itself to a tenant, moves a membership or raises its role.",
  severity: "critical",
  checklistItem: 3,
  remediationSteps: [
    "1. Declare the membership table with rls.model: membership (userColumn, tenantColumn; roleColumn and adminRoles for tenant admins).",
    "2. Remove any policy that lets anon or authenticated insert, update or delete its rows.",
    "3. Add members from the back office (service role), or let tenant admins add them to their own tenant.",
  ].join("\n"),
  resourceTypes: [PG.tableRls],
  validateStack: validate,
});
