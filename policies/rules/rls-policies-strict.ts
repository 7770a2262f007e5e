/**
 * Checklist 3 — Row Level Security, policy by policy: never granted to PUBLIC, never `USING (true)`
 * outside tables declared public, UPDATE restricted by both USING and WITH CHECK.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { PG } from "./lib/types";
import { isRecord, list, record, settings, text, type Props } from "./lib/values";

const DEFAULTS = { publicTables: [] as string[] };

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

/** `users` and `public.users` name the same table. */
function tableKey(name: string): string {
  return name.includes(".") ? name.toLowerCase() : `public.${name.toLowerCase()}`;
}

function explicitPolicies(
  table: string,
  policies: Props[],
  isPublic: boolean,
  report: ReportViolation,
): void {
  for (const policy of policies) {
    const name = text(policy["name"]) ?? "?";
    const command = (text(policy["command"]) ?? "all").toLowerCase();
    if (grantsPublic(policy["roles"])) report(`policy "${name}" on ${table} applies to PUBLIC`);
    if (!isPublic && alwaysTrue(policy["using"])) report(`policy "${name}" on ${table} has USING (true)`);
    if (!isPublic && alwaysTrue(policy["withCheck"])) {
      report(`policy "${name}" on ${table} has WITH CHECK (true)`);
    }
    if ((command === "update" || command === "all") && (!policy["using"] || !policy["withCheck"])) {
      report(`${command.toUpperCase()} policy "${name}" on ${table} needs both USING and WITH CHECK`);
    }
  }
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  if (args.type === PG.bucket) {
    list(props["access"])
      .filter(isRecord)
      .forEach((rule, i) => {
        if (grantsPublic(rule["roles"]))
          report(`access[${i}] of bucket ${String(props["id"])} applies to PUBLIC`);
      });
    return;
  }
  if (args.type !== PG.tableRls) return;
  const table = text(props["table"]) ?? "?";
  const isPublic = settings(args, DEFAULTS).publicTables.map(tableKey).includes(tableKey(table));
  const rls = record(props["rls"]);
  if (!rls) return;
  if (rls["model"] === "policies") {
    explicitPolicies(table, list(rls["policies"]).filter(isRecord), isPublic, report);
  } else if (rls["roles"] !== undefined && grantsPublic(rls["roles"])) {
    report(`the ${String(rls["model"])} policies of ${table} apply to PUBLIC`);
  }
}

export const rlsPoliciesStrict = resourceRule({
  name: "rls-policies-strict",
  description:
    "Row Level Security policies name their roles (never PUBLIC), never allow every row outside public " +
    "tables, and restrict UPDATE with USING and WITH CHECK.",
  severity: "critical",
  checklistItem: 3,
  remediationSteps: [
    "1. Give every policy its roles (anon, authenticated, service_role); never PUBLIC.",
    "2. Replace USING (true) by a predicate on the row's owner or tenant (the owner/tenant RLS models).",
    "3. UPDATE (and ALL) policies need USING and WITH CHECK, so a row cannot be moved to another owner.",
    "4. A table meant to be readable by anyone is listed in this rule's publicTables config.",
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
    },
  },
  validateResource: validate,
});
