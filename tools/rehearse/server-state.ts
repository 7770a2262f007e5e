/**
 * What a rehearsal may touch on a server, and how it leaves it: it refuses to run where the app's
 * roles or tables already exist (it would rehearse on someone's data), and removes everything it
 * created afterwards, so a `--database-url` scratch server ends as it started.
 */
import type { DatabasePlan } from "../../infra/components/database-plan";
import { sql } from "../../infra/providers/postgres";
import { planRoles } from "./layer-sql";
import { inTransaction, rows } from "./session";

const API_ROLES = ["anon", "authenticated", "service_role"];
const SHARED_SCHEMAS = ["auth", "storage"];

/** What existed before an app was rehearsed. */
export interface Baseline {
  readonly roles: readonly string[];
  readonly schemas: readonly string[];
  readonly cronExtension: boolean;
  /** API roles that already had USAGE on schema public. */
  readonly publicUsage: readonly string[];
  /** What PUBLIC held on the database (the layer leaves it CONNECT only). */
  readonly publicDatabase: readonly string[];
}

export async function baselineOf(adminUrl: string): Promise<Baseline> {
  const [row] = await rows<{
    roles: string[];
    schemas: string[];
    cron: boolean;
    usage: string[];
    database: string[];
  }>(
    adminUrl,
    `SELECT ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)) AS roles,
            ARRAY(SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($2)) AS schemas,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') AS cron,
            ARRAY(SELECT r.rolname::text FROM pg_roles r
                   WHERE r.rolname = ANY($1) AND has_schema_privilege(r.oid, 'public', 'USAGE')) AS usage,
            ARRAY(SELECT a.privilege_type::text
                    FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                   WHERE d.datname = current_database() AND a.grantee = 0) AS database`,
    [API_ROLES, SHARED_SCHEMAS],
  );
  return {
    roles: row!.roles,
    schemas: row!.schemas,
    cronExtension: row!.cron,
    publicUsage: row!.usage,
    publicDatabase: row!.database,
  };
}

/** Why the rehearsal must not run on this server for this app; empty when it may. */
export async function conflicts(
  adminUrl: string,
  plan: DatabasePlan,
  tables: readonly string[],
): Promise<string[]> {
  const [row] = await rows<{ superuser: boolean; roles: string[]; tables: string[]; snapshots: boolean }>(
    adminUrl,
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)) AS roles,
            ARRAY(SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($2)) AS tables,
            EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $3) AS snapshots`,
    [planRoles(plan).map((r) => r.name), tables, sql.SNAPSHOT_SCHEMA],
  );
  const problems: string[] = [];
  if (!row!.superuser) {
    problems.push(
      "the database URL must be a superuser's: the rehearsal stands in for Supabase (roles with BYPASSRLS) and removes what it creates",
    );
  }
  if (row!.roles.length > 0) problems.push(`roles ${row!.roles.join(", ")} already exist on this server`);
  if (row!.tables.length > 0)
    problems.push(`tables ${row!.tables.join(", ")} already exist in schema public`);
  if (row!.snapshots) problems.push(`schema ${sql.SNAPSHOT_SCHEMA} already exists`);
  return problems;
}

/** Removes the app's roles and everything they own, and what the rehearsal added around them. */
export async function cleanUp(adminUrl: string, plan: DatabasePlan, baseline: Baseline): Promise<void> {
  const [state] = await rows<{ cron: boolean; roles: string[]; schemas: string[] }>(
    adminUrl,
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') AS cron,
            ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1)) AS roles,
            ARRAY(SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($2)) AS schemas`,
    [[...planRoles(plan).map((r) => r.name), ...API_ROLES], SHARED_SCHEMAS],
  );
  const quote = (name: string) => sql.quoteIdent(name, "role");
  const stackRoles = planRoles(plan)
    .map((r) => r.name)
    .filter((name) => state!.roles.includes(name));
  const statements: string[] = [];
  if (state!.cron && stackRoles.length > 0) {
    statements.push(
      `DELETE FROM cron.job WHERE username IN (${stackRoles.map(sql.quoteLiteral).join(", ")})`,
    );
  }
  if (state!.cron && !baseline.cronExtension) statements.push("DROP EXTENSION pg_cron");
  // One role at a time: DROP OWNED BY of several roles trips over a default ACL linking two of them.
  for (const role of stackRoles) statements.push(`DROP OWNED BY ${quote(role)} CASCADE`);
  if (stackRoles.length > 0) statements.push(`DROP ROLE ${stackRoles.map(quote).join(", ")}`);
  for (const schema of SHARED_SCHEMAS) {
    if (state!.schemas.includes(schema) && !baseline.schemas.includes(schema)) {
      statements.push(`DROP SCHEMA ${sql.quoteIdent(schema, "schema")} CASCADE`);
    }
  }
  const createdApiRoles = API_ROLES.filter((r) => state!.roles.includes(r) && !baseline.roles.includes(r));
  for (const role of createdApiRoles) statements.push(`DROP OWNED BY ${quote(role)} CASCADE`);
  if (createdApiRoles.length > 0) statements.push(`DROP ROLE ${createdApiRoles.map(quote).join(", ")}`);
  for (const role of API_ROLES.filter(
    (r) => baseline.roles.includes(r) && !baseline.publicUsage.includes(r),
  )) {
    statements.push(`REVOKE USAGE ON SCHEMA public FROM ${quote(role)}`);
  }
  if (baseline.publicDatabase.length > 0) {
    const privileges = baseline.publicDatabase.filter((p) => /^[A-Z]+$/.test(p)).join(", ");
    statements.push(
      `DO $restore$ BEGIN EXECUTE format('GRANT ${privileges} ON DATABASE %I TO PUBLIC', current_database()); END $restore$`,
    );
  }
  await inTransaction(adminUrl, statements);
}
