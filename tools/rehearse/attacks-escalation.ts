/**
 * Attacks on the layer itself rather than its rows, by every login and by user A: temporary
 * objects (tables, types, casts, operators) planted to drive the SECURITY DEFINER audit trigger,
 * search_path hijacks, SET ROLE, DDL, TRUNCATE, policy and trigger tampering, and objects a later
 * migration creates (a table, a function) that must reach no one.
 */
import { sql } from "../../infra/providers/postgres";
import type { Attack, AttackGroup } from "./attack";
import { attackers, type AttackContext } from "./attacks-rows";

const t = (table: string) => sql.qualifiedName({ schema: "public", table });
const AUDIT = `public.${sql.AUDIT_FUNCTION}()`;

/** Objects a later migration of the migrator creates; created for the attacks, removed after. */
export const FUTURE_TABLE = "launchpad_rehearsal_future";
export const FUTURE_FUNCTION = "launchpad_rehearsal_future";

/** The cast chain: a type of the attacker's whose cast to json runs when to_jsonb(NEW) meets it. */
function castChain(migrator: string): string {
  return [
    "CREATE TYPE pg_temp.launchpad_attack_type AS ENUM ('x')",
    `CREATE FUNCTION pg_temp.launchpad_attack_json(pg_temp.launchpad_attack_type) RETURNS json LANGUAGE plpgsql AS $f$
       BEGIN PERFORM pg_catalog.set_config('launchpad.attack_ran_as', current_user, true); DELETE FROM public.audit_logs; RETURN '{}'::json; END $f$`,
    "CREATE CAST (pg_temp.launchpad_attack_type AS json) WITH FUNCTION pg_temp.launchpad_attack_json(pg_temp.launchpad_attack_type)",
    "CREATE TEMP TABLE launchpad_attack_cast (v pg_temp.launchpad_attack_type)",
    `CREATE TRIGGER launchpad_attack AFTER INSERT ON pg_temp.launchpad_attack_cast FOR EACH ROW EXECUTE FUNCTION ${AUDIT}`,
    "INSERT INTO pg_temp.launchpad_attack_cast VALUES ('x')",
    `SELECT (pg_catalog.current_setting('launchpad.attack_ran_as', true) = ${sql.quoteLiteral(migrator)})::int AS n`,
  ].join(";\n");
}

function temporaryObjects(ctx: AttackContext, auditLogs: boolean): Attack[] {
  const subject = "database";
  const attacks: Attack[] = [
    {
      subject,
      move: "creates a temporary table",
      sql: "CREATE TEMP TABLE launchpad_attack (id int)",
      success: "runs",
    },
    {
      subject,
      move: "shadows a pg_catalog type with a temporary one",
      sql: "CREATE TYPE pg_temp.jsonb AS ENUM ('x')",
      success: "runs",
    },
    {
      subject,
      move: "defines an operator of its own",
      sql: "CREATE OPERATOR pg_temp.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_catalog.texteq)",
      success: "runs",
    },
    {
      subject,
      move: "creates a schema to put first in search_path",
      sql: "CREATE SCHEMA launchpad_attack",
      success: "runs",
    },
    {
      subject,
      move: "creates a function in public to hijack an unqualified name",
      sql: "CREATE FUNCTION public.launchpad_attack() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      success: "runs",
    },
  ];
  if (!auditLogs) return attacks;
  const fn = `function ${sql.AUDIT_FUNCTION}`;
  return [
    ...attacks,
    {
      subject: fn,
      move: "forges audit rows through a trigger on a table of its own",
      sql: [
        "CREATE TEMP TABLE launchpad_attack_forge (id int)",
        `CREATE TRIGGER launchpad_attack AFTER INSERT ON pg_temp.launchpad_attack_forge FOR EACH ROW EXECUTE FUNCTION ${AUDIT}`,
        "INSERT INTO pg_temp.launchpad_attack_forge VALUES (1)",
      ].join(";\n"),
      success: "runs",
    },
    {
      subject: fn,
      move: "runs its code as the migrator through a type and a cast to json",
      sql: castChain(ctx.plan.roles.migrator.name),
      success: "count",
    },
    {
      subject: fn,
      move: "replaces the audit function",
      sql: `CREATE OR REPLACE FUNCTION ${AUDIT} RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NULL; END $f$`,
      success: "runs",
    },
  ];
}

/** `self` may only become the roles it is a member of by design (authenticated, for the runtime). */
function roleSwitches(ctx: AttackContext, self: string, canActForUsers: boolean): Attack[] {
  const { migrator, runtime, analytics } = ctx.plan.roles;
  const targets = [
    migrator.name,
    runtime.name,
    analytics.name,
    "service_role",
    ...(canActForUsers ? [] : ["authenticated"]),
  ];
  return targets
    .filter((role) => role !== self)
    .map((role) => ({
      subject: "database",
      move: `switches to role ${role}`,
      sql: `SET ROLE ${sql.quoteIdent(role, "role")}`,
      success: "runs" as const,
    }));
}

/** DDL, TRUNCATE, policy and trigger tampering on one table. */
function tampering(table: string, firstPolicy: string | undefined, audited: boolean): Attack[] {
  const subject = `table ${table}`;
  const name = t(table);
  const attacks: Attack[] = [
    {
      subject,
      move: "disables row level security",
      sql: `ALTER TABLE ${name} DISABLE ROW LEVEL SECURITY`,
      success: "runs",
    },
    {
      subject,
      move: "stops forcing row level security",
      sql: `ALTER TABLE ${name} NO FORCE ROW LEVEL SECURITY`,
      success: "runs",
    },
    {
      subject,
      move: "adds a policy opening every row",
      sql: `CREATE POLICY launchpad_attack ON ${name} FOR ALL TO authenticated USING (true) WITH CHECK (true)`,
      success: "runs",
    },
    { subject, move: "truncates the table", sql: `TRUNCATE ${name}`, success: "runs" },
    {
      subject,
      move: "adds a column",
      sql: `ALTER TABLE ${name} ADD COLUMN launchpad_attack text`,
      success: "runs",
    },
  ];
  if (firstPolicy) {
    attacks.push({
      subject,
      move: `drops policy "${firstPolicy}"`,
      sql: `DROP POLICY ${sql.quotePolicyName(firstPolicy)} ON ${name}`,
      success: "runs",
    });
  }
  if (audited) {
    attacks.push(
      {
        subject,
        move: "disables the audit trigger",
        sql: `ALTER TABLE ${name} DISABLE TRIGGER ${sql.AUDIT_TRIGGER}`,
        success: "runs",
      },
      {
        subject,
        move: "drops the audit trigger",
        sql: `DROP TRIGGER ${sql.AUDIT_TRIGGER} ON ${name}`,
        success: "runs",
      },
    );
  }
  return attacks;
}

function futureObjects(): Attack[] {
  return [
    {
      subject: "future table",
      move: "reads a table a later migration created",
      sql: `SELECT count(*)::int AS n FROM ${t(FUTURE_TABLE)}`,
      success: "count",
    },
    {
      subject: "future table",
      move: "writes a table a later migration created",
      sql: `INSERT INTO ${t(FUTURE_TABLE)} (id) VALUES (2)`,
      success: "runs",
    },
    {
      subject: "future function",
      move: "calls a SECURITY DEFINER function a later migration created",
      sql: `SELECT public.${FUTURE_FUNCTION}() AS n`,
      success: "runs",
    },
  ];
}

/** What a later migration of the migrator creates: a table with a row, a SECURITY DEFINER function. */
export function futureObjectStatements(migrator: string): string[] {
  return [
    `SET ROLE ${sql.quoteIdent(migrator, "role")}`,
    `CREATE TABLE ${t(FUTURE_TABLE)} (id int PRIMARY KEY)`,
    `INSERT INTO ${t(FUTURE_TABLE)} (id) VALUES (1)`,
    `CREATE FUNCTION public.${FUTURE_FUNCTION}() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1'`,
    "RESET ROLE",
  ];
}

export function dropFutureObjectStatements(): string[] {
  return [`DROP TABLE IF EXISTS ${t(FUTURE_TABLE)}`, `DROP FUNCTION IF EXISTS public.${FUTURE_FUNCTION}()`];
}

/** Every escalation attack of the app, grouped by attacker. */
export function escalationGroups(
  ctx: AttackContext,
  policies: Readonly<Record<string, string | undefined>>,
): AttackGroup[] {
  const who = attackers(ctx);
  const auditLogs = ctx.platformTables.includes("audit_logs");
  const tables = [
    ...ctx.tables.map((table) => ({ table: table.table, audited: auditLogs && table.spec.audit })),
    ...ctx.platformTables.map((table) => ({ table, audited: false })),
  ];
  const layer = (attacks: Attack[]) => [
    ...attacks,
    ...tables.flatMap(({ table, audited }) => tampering(table, policies[table], audited)),
    ...futureObjects(),
  ];
  const runtimeActsForUsers = ctx.plan.roles.runtime.roles.includes("authenticated");
  return [
    {
      attacker: who.runtime,
      attacks: layer([
        ...temporaryObjects(ctx, auditLogs),
        ...roleSwitches(ctx, ctx.plan.roles.runtime.name, runtimeActsForUsers),
      ]),
    },
    {
      attacker: who.analytics,
      attacks: layer([
        ...temporaryObjects(ctx, auditLogs),
        ...roleSwitches(ctx, ctx.plan.roles.analytics.name, false),
      ]),
    },
    { attacker: who.userA, attacks: layer(temporaryObjects(ctx, auditLogs)) },
    { attacker: who.anon, attacks: futureObjects() },
  ];
}
