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
  if (g.objectType === "schema") {
    const missing = [];
    for (const privilege of g.privileges) {
      const row = await one<{ ok: boolean }>(client, "SELECT has_schema_privilege($1, $2, $3) AS ok", [
        g.role,
        g.schema,
        privilege,
      ]);
      if (!row?.ok) missing.push(`${where}: ${g.role} lacks ${privilege} on schema ${g.schema}`);
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
          [g.schema, kind],
        )
      ).rows.map((r) => r.name);
  const check = g.objectType === "table" ? "has_table_privilege" : "has_sequence_privilege";
  const drift: string[] = [];
  for (const object of objects) {
    for (const privilege of g.privileges) {
      const row = await one<{ ok: boolean }>(client, `SELECT ${check}($1, $2, $3) AS ok`, [
        g.role,
        `"${g.schema}"."${object}"`,
        privilege,
      ]);
      if (!row?.ok) drift.push(`${where}: ${g.role} lacks ${privilege} on ${g.schema}.${object}`);
    }
  }
  return drift;
}

async function defaultsDrift(
  client: PgClient,
  step: Extract<Registry, { kind: "default-privileges" }>,
): Promise<string[]> {
  const d = step.args;
  const rows = await client.query<{ privilege: string }>(
    `SELECT a.privilege_type AS privilege
       FROM pg_default_acl acl JOIN pg_namespace n ON n.oid = acl.defaclnamespace,
            aclexplode(acl.defaclacl) a
      WHERE acl.defaclrole = $1::regrole AND n.nspname = $2 AND acl.defaclobjtype = $3
        AND a.grantee = $4::regrole`,
    [d.owner, d.schema, d.objectType === "table" ? "r" : "S", d.role],
  );
  const have = rows.rows.map((r) => r.privilege);
  return d.privileges
    .filter((p) => !have.includes(p))
    .map((p) => `default privileges ${step.id}: ${d.role} would not get ${p} on new ${d.objectType}s`);
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
