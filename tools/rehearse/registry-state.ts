/**
 * Reads the registry resources (roles, grants, default privileges, schemas, extensions) back from
 * the catalogs and compares them with the declaration — what the postgresql provider's refresh
 * compares — so a rehearsal can say a second apply would find nothing to change.
 */
import type { Client as PgClient } from "pg";
import type { DatabasePlan, DatabaseStep } from "../../infra/components/database-plan";
import { withClient } from "./session";

type Registry = Exclude<
  DatabaseStep,
  { kind: "supabase-compat" | "table-rls" | "platform-tables" | "storage-bucket" | "cron-job" }
>;

async function one<R>(client: PgClient, text: string, values: unknown[]): Promise<R | undefined> {
  return (await client.query(text, values)).rows[0] as R | undefined;
}

async function roleDrift(client: PgClient, step: Extract<Registry, { kind: "role" }>): Promise<string[]> {
  const role = step.args;
  const row = await one<Record<string, unknown>>(
    client,
    `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolreplication, rolbypassrls,
            rolconnlimit, coalesce(rolconfig, '{}') AS rolconfig,
            ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                   WHERE m.member = r.oid ORDER BY 1) AS member_of
       FROM pg_roles r WHERE rolname = $1`,
    [role.name],
  );
  if (!row) return [`role ${role.name}: missing`];
  const expected: Record<string, unknown> = {
    rolcanlogin: role.login,
    rolsuper: role.superuser,
    rolcreatedb: role.createDatabase,
    rolcreaterole: role.createRole,
    rolinherit: role.inherit,
    rolreplication: role.replication,
    rolbypassrls: role.bypassRowLevelSecurity,
    rolconnlimit: role.connectionLimit,
  };
  const drift = Object.entries(expected)
    .filter(([key, value]) => row[key] !== value)
    .map(([key, value]) => `role ${role.name}: ${key} is ${String(row[key])}, declared ${String(value)}`);
  if (!(row["rolconfig"] as string[]).includes(`statement_timeout=${role.statementTimeout}`)) {
    drift.push(`role ${role.name}: statement_timeout is not ${role.statementTimeout}`);
  }
  const members = row["member_of"] as string[];
  for (const member of role.roles) {
    if (!members.includes(member)) drift.push(`role ${role.name}: not a member of ${member}`);
  }
  return drift;
}

async function grantDrift(client: PgClient, step: Extract<Registry, { kind: "grant" }>): Promise<string[]> {
  const g = step.args;
  const where = `grant ${step.id}`;
  if (g.objectType === "database") return databaseGrantDrift(client, where, g.role, g.privileges);
  const schemaName = g.schema ?? "public";
  if (g.objectType === "schema") {
    const missing = [];
    for (const privilege of g.privileges) {
      const row = await one<{ ok: boolean }>(client, "SELECT has_schema_privilege($1, $2, $3) AS ok", [
        g.role,
        schemaName,
        privilege,
      ]);
      if (!row?.ok) missing.push(`${where}: ${g.role} lacks ${privilege} on schema ${schemaName}`);
    }
    return missing;
  }
  const kind = g.objectType === "table" ? "r" : "S";
  const objects = g.objects
    ? [...g.objects]
    : (
        await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = $2 ORDER BY 1`,
          [schemaName, kind],
        )
      ).rows.map((r) => r.name);
  const check = g.objectType === "table" ? "has_table_privilege" : "has_sequence_privilege";
  const drift: string[] = [];
  for (const object of objects) {
    for (const privilege of g.privileges) {
      const row = await one<{ ok: boolean }>(client, `SELECT ${check}($1, $2, $3) AS ok`, [
        g.role,
        `"${schemaName}"."${object}"`,
        privilege,
      ]);
      if (!row?.ok) drift.push(`${where}: ${g.role} lacks ${privilege} on ${schemaName}.${object}`);
    }
  }
  return drift;
}

/** Privileges the role (0 for PUBLIC) holds on the current database, exactly as declared. */
async function databaseGrantDrift(
  client: PgClient,
  where: string,
  role: string,
  declared: readonly string[],
): Promise<string[]> {
  const rows = await client.query<{ privilege: string }>(
    `SELECT a.privilege_type AS privilege
       FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
      WHERE d.datname = current_database()
        AND a.grantee = CASE WHEN $1 = 'public' THEN 0 ELSE (SELECT oid FROM pg_roles WHERE rolname = $1) END`,
    [role],
  );
  const have = rows.rows.map((r) => (r.privilege === "TEMPORARY" ? "TEMPORARY" : r.privilege));
  return [
    ...declared.filter((p) => !have.includes(p)).map((p) => `${where}: ${role} lacks ${p} on the database`),
    ...have
      .filter((p) => !declared.includes(p))
      .map((p) => `${where}: ${role} also holds ${p} on the database`),
  ];
}

const DEFAULT_OBJECT_TYPES = { table: "r", sequence: "S", function: "f" } as const;

/** What the owner's new objects give the role: exactly the declared privileges. */
async function defaultsDrift(
  client: PgClient,
  step: Extract<Registry, { kind: "default-privileges" }>,
): Promise<string[]> {
  const d = step.args;
  if (!d.schema) return globalDefaultsDrift(client, step);
  const rows = await client.query<{ privilege: string }>(
    `SELECT a.privilege_type AS privilege
       FROM pg_default_acl acl JOIN pg_namespace n ON n.oid = acl.defaclnamespace,
            aclexplode(acl.defaclacl) a
      WHERE acl.defaclrole = $1::regrole AND n.nspname = $2 AND acl.defaclobjtype = $3
        AND a.grantee = $4::regrole`,
    [d.owner, d.schema, DEFAULT_OBJECT_TYPES[d.objectType], d.role],
  );
  const have = rows.rows.map((r) => r.privilege);
  return d.privileges
    .filter((p) => !have.includes(p))
    .map((p) => `default privileges ${step.id}: ${d.role} would not get ${p} on new ${d.objectType}s`);
}

/**
 * Global defaults: without an entry of the owner's, Postgres' built-in defaults apply (EXECUTE on
 * functions for PUBLIC), so a missing entry is drift when the declaration takes privileges away.
 */
async function globalDefaultsDrift(
  client: PgClient,
  step: Extract<Registry, { kind: "default-privileges" }>,
): Promise<string[]> {
  const d = step.args;
  const type = DEFAULT_OBJECT_TYPES[d.objectType];
  const rows = await client.query<{ privilege: string }>(
    `SELECT a.privilege_type AS privilege
       FROM aclexplode(coalesce(
              (SELECT defaclacl FROM pg_default_acl
                WHERE defaclrole = $1::regrole AND defaclnamespace = 0 AND defaclobjtype = $2::"char"),
              acldefault($2::"char", $1::regrole))) a
      WHERE a.grantee = CASE WHEN $3 = 'public' THEN 0 ELSE (SELECT oid FROM pg_roles WHERE rolname = $3) END`,
    [d.owner, type, d.role],
  );
  const have = rows.rows.map((r) => r.privilege);
  const where = `default privileges ${step.id}`;
  return [
    ...d.privileges
      .filter((p) => !have.includes(p))
      .map((p) => `${where}: ${d.role} would not get ${p} on new ${d.objectType}s`),
    ...have
      .filter((p) => !d.privileges.includes(p))
      .map((p) => `${where}: ${d.role} would get ${p} on new ${d.objectType}s`),
  ];
}

async function registryDrift(client: PgClient, step: Registry): Promise<string[]> {
  switch (step.kind) {
    case "role":
      return roleDrift(client, step);
    case "grant":
      return grantDrift(client, step);
    case "default-privileges":
      return defaultsDrift(client, step);
    case "schema": {
      const row = await one<{ owner: string }>(
        client,
        "SELECT pg_get_userbyid(nspowner)::text AS owner FROM pg_namespace WHERE nspname = $1",
        [step.args.name],
      );
      if (!row) return [`schema ${step.args.name}: missing`];
      return row.owner === step.args.owner ? [] : [`schema ${step.args.name}: owned by ${row.owner}`];
    }
    case "extension": {
      const row = await one(client, "SELECT 1 FROM pg_extension WHERE extname = $1", [step.args.name]);
      return row ? [] : [`extension ${step.args.name}: missing`];
    }
  }
}

/** Differences between the catalogs and the plan's registry steps; empty when in sync. */
export async function registryDifferences(
  adminUrl: string,
  plan: DatabasePlan,
  applied: (step: DatabaseStep) => boolean,
): Promise<{ checked: number; drift: string[] }> {
  const steps = plan.steps.filter(
    (s): s is Registry =>
      applied(s) && ["role", "grant", "default-privileges", "schema", "extension"].includes(s.kind),
  );
  return withClient(adminUrl, async (client) => {
    const drift: string[] = [];
    for (const step of steps) drift.push(...(await registryDrift(client, step)));
    return { checked: steps.length, drift };
  });
}
