/**
 * Each resource's SQL as one readable script, in apply order, for a DBA's review (`launchpad sql`).
 * This is what applying on an empty slate amounts to; the providers issue only the parts that
 * differ from what the database already holds.
 */
import type { BucketSpec, CronJobSpec, PlatformTablesSpec, PolicySpec, RlsModel } from "../types";
import { authShimStatements } from "./auth-shim";
import { scheduleStatement, validateCronJob } from "./cron";
import { parseTableName, quoteLiteral } from "./ident";
import {
  createAuditFunctionStatements,
  createAuditTriggerSql,
  createPlatformTableSql,
  PLATFORM_TABLES,
  platformPolicies,
  platformTableName,
} from "./platform-tables";
import {
  enableRlsSql,
  forceRlsSql,
  helperStatements,
  policyStatements,
  tablePolicies,
  tableRlsStatements,
} from "./rls";
import { bucketPolicies, bucketRow, storageShimStatements } from "./storage";

export function tableRlsReview(
  table: string,
  model: RlsModel,
  additionalPolicies: readonly PolicySpec[] = [],
): string[] {
  const name = parseTableName(table);
  if (additionalPolicies.length === 0) return tableRlsStatements(name, model);
  return [
    enableRlsSql(name),
    forceRlsSql(name),
    ...helperStatements(name, model),
    ...tablePolicies(name, model, additionalPolicies).flatMap(policyStatements),
  ];
}

export function supabaseCompatReview(storage: boolean): string[] {
  return [...authShimStatements(), ...(storage ? storageShimStatements() : [])];
}

function literalOrNull(value: string | number | boolean | null): string {
  if (value === null) return "NULL";
  return typeof value === "string" ? quoteLiteral(value) : String(value);
}

export function storageBucketReview(spec: BucketSpec): string[] {
  const row = bucketRow(spec);
  const mime = row.allowedMimeTypes
    ? `ARRAY[${row.allowedMimeTypes.map(quoteLiteral).join(", ")}]::text[]`
    : "NULL";
  const values = [row.id, row.name, row.public, row.fileSizeLimit].map(literalOrNull).join(", ");
  return [
    `INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types) VALUES (${values}, ${mime}) ` +
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, public = EXCLUDED.public, " +
      "file_size_limit = EXCLUDED.file_size_limit, allowed_mime_types = EXCLUDED.allowed_mime_types",
    ...bucketPolicies(spec).flatMap(policyStatements),
  ];
}

export function cronJobReview(spec: CronJobSpec): string[] {
  validateCronJob(spec);
  return [scheduleStatement(spec)];
}

/** `ownerRole` is the role that will apply them (the migrator). */
export function platformTablesReview(spec: PlatformTablesSpec, ownerRole: string): string[] {
  const schema = spec.schema ?? "public";
  const tables = PLATFORM_TABLES.filter((table) => (spec.tables ?? PLATFORM_TABLES).includes(table));
  const statements: string[] = [];
  for (const table of tables) {
    const name = platformTableName(schema, table);
    statements.push(createPlatformTableSql(schema, table), enableRlsSql(name), forceRlsSql(name));
    statements.push(...platformPolicies(schema, table, ownerRole).flatMap(policyStatements));
  }
  const audited = (spec.auditedTables ?? []).map((ref) => parseTableName(ref, "audited table"));
  if (tables.includes("audit_logs")) statements.push(...createAuditFunctionStatements(schema, audited));
  for (const table of audited) statements.push(createAuditTriggerSql(schema, table));
  return statements;
}
