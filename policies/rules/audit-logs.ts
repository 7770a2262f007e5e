/**
 * Checklist 6 — audit logs: every app database has `audit_logs` (the PlatformTables resource) and an
 * audit trigger on each table the catalog audits.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { PG } from "./lib/types";
import { list, type Props } from "./lib/values";

function auditedTables(resource: PolicyResource): Set<string> {
  const names = list((resource.props as Props)["auditedTables"]).filter(
    (t): t is string => typeof t === "string",
  );
  return new Set(names.map((t) => (t.includes(".") ? t : `public.${t}`)));
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  for (const { app, spec, urn, resources } of catalogApps(args.resources, context)) {
    const database = spec.database;
    if (!database) continue;
    if (!database.platformTables.includes("audit_logs")) {
      report(`${app}: the catalog's database.platformTables leaves out audit_logs`, urn);
    }
    const platform = resources.filter((r) => r.type === PG.platformTables);
    if (platform.length === 0) {
      report(`${app}: the database has no audit_logs table (no PlatformTables resource)`, urn);
      continue;
    }
    // PlatformTables creates the tables it lists (all three when it lists none).
    const created = platform.flatMap((r) => list((r.props as Props)["tables"]));
    if (created.length > 0 && !created.includes("audit_logs")) {
      report(`${app}: the platform tables leave out audit_logs`, platform[0]!.urn);
    }
    const audited = new Set(platform.flatMap((r) => [...auditedTables(r)]));
    for (const [table, declared] of Object.entries(database.tables)) {
      if (declared.audit && !audited.has(`public.${table}`)) {
        report(`${app}: writes to table ${table} are not captured into audit_logs`, platform[0]!.urn);
      }
    }
  }
}

export const auditLogs = stackRule({
  name: "audit-logs",
  description: "Every app database has the audit_logs table and an audit trigger on each audited table.",
  severity: "medium",
  checklistItem: 6,
  remediationSteps: [
    "1. Keep audit_logs in the app's database.platformTables (the default).",
    "2. The Database component declares PlatformTables with every table whose `audit` is true.",
  ].join("\n"),
  resourceTypes: [PG.platformTables],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
