/**
 * Checklist 3 — Row Level Security, policy by policy: never granted to PUBLIC, never `USING (true)`
 * for the roles end users act as (the API's anon and authenticated) outside tables declared public,
 * UPDATE restricted by both USING and WITH CHECK. A named internal role (an analytics reader) may
 * read every row: no request from the API runs as it.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { PG } from "./lib/types";
import { bucketName, isRecord, list, record, settings, text, type Props } from "./lib/values";

const DEFAULTS = { publicTables: [] as string[], endUserRoles: ["anon", "authenticated"] };

/** `true`, `(true)`, `1 = 1`: a predicate every row satisfies. */
function alwaysTrue(expression: unknown): boolean {
  if (typeof expression !== "string") return false;
  const bare = expression.replace(/[()\s]/g, "").toLowerCase();
  return bare === "true" || bare === "1=1";
}

function grantsPublic(roles: unknown): boolean {
  const names = list(roles);
  // CREATE POLICY without TO applies to PUBLIC.
  return names.length === 0 || names.some((r) => typeof r === "string" && r.toLowerCase() === "public");
}

/** Whether requests from end users can run under one of the policy's roles. */
function reachesEndUsers(roles: unknown, endUserRoles: readonly string[]): boolean {
  return grantsPublic(roles) || list(roles).some((r) => typeof r === "string" && endUserRoles.includes(r));
}

/** `users` and `public.users` name the same table. */
function tableKey(name: string): string {
  return name.includes(".") ? name.toLowerCase() : `public.${name.toLowerCase()}`;
}

function explicitPolicies(
  table: string,
  policies: Props[],
  everyRowAllowed: (roles: unknown) => boolean,
  report: ReportViolation,
): void {
  for (const policy of policies) {
    const name = text(policy["name"]) ?? "?";
    const command = (text(policy["command"]) ?? "all").toLowerCase();
    const guarded = !everyRowAllowed(policy["roles"]);
    if (grantsPublic(policy["roles"])) report(`policy "${name}" on ${table} applies to PUBLIC`);
    if (guarded && alwaysTrue(policy["using"])) report(`policy "${name}" on ${table} has USING (true)`);
    if (guarded && alwaysTrue(policy["withCheck"]))
      report(`policy "${name}" on ${table} has WITH CHECK (true)`);
    if ((command === "update" || command === "all") && (!policy["using"] || !policy["withCheck"])) {
      report(`${command.toUpperCase()} policy "${name}" on ${table} needs both USING and WITH CHECK`);
    }
  }
}

function bucketAccess(props: Props, logicalName: string, report: ReportViolation): void {
  const bucket = bucketName(props, logicalName);
  list(props["access"])
    .filter(isRecord)
    .forEach((rule, i) => {
      if (grantsPublic(rule["roles"])) report(`access[${i}] of bucket ${bucket} applies to PUBLIC`);
    });
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  if (args.type === PG.bucket) return bucketAccess(props, args.name, report);
  if (args.type !== PG.tableRls) return;
  const table = text(props["table"]) ?? "?";
  const { publicTables, endUserRoles } = settings(args, DEFAULTS);
  const isPublic = publicTables.map(tableKey).includes(tableKey(table));
  const everyRowAllowed = (roles: unknown): boolean => isPublic || !reachesEndUsers(roles, endUserRoles);
  const rls = record(props["rls"]);
  if (rls?.["model"] === "policies") {
    explicitPolicies(table, list(rls["policies"]).filter(isRecord), everyRowAllowed, report);
  } else if (rls && rls["roles"] !== undefined && grantsPublic(rls["roles"])) {
    report(`the ${String(rls["model"])} policies of ${table} apply to PUBLIC`);
  }
  explicitPolicies(table, list(props["additionalPolicies"]).filter(isRecord), everyRowAllowed, report);
}

export const rlsPoliciesStrict = resourceRule({
  name: "rls-policies-strict",
  description:
    "Row Level Security policies name their roles (never PUBLIC), never give end users every row outside " +
    "public tables, and restrict UPDATE with USING and WITH CHECK.",
  severity: "critical",
  checklistItem: 3,
  remediationSteps: [
    "1. Give every policy its roles (anon, authenticated, service_role); never PUBLIC.",
    "2. Replace USING (true) by a predicate on the row's owner or tenant (the owner/tenant RLS models).",
    "3. UPDATE (and ALL) policies need USING and WITH CHECK, so a row cannot be moved to another owner.",
    "4. A table meant to be readable by anyone is listed in this rule's publicTables config; an internal " +
      "role that must read every row (analytics) gets its own policy, never anon or authenticated.",
  ].join("\n"),
  resourceTypes: [PG.tableRls, PG.bucket],
  configSchema: {
    properties: {
      publicTables: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.publicTables,
        description: "Tables (`table` or `schema.table`) whose rows are public by design",
      },
      endUserRoles: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.endUserRoles,
        description: "Roles requests from end users run as (besides PUBLIC)",
      },
    },
  },
  validateResource: validate,
});
