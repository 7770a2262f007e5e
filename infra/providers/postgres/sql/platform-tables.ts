/**
 * The platform tables the seed apps share: `audit_logs` (filled by a trigger on the app's tables),
 * `qa_reports` and `backup_metadata`, each with RLS enabled and forced.
 *
 * Access: the owner role (migrator: the audit trigger runs as it, so do cron purges and backup
 * jobs) has full access; authenticated users file and read their own QA reports; anon nothing; the
 * service role bypasses RLS.
 */
import type { PolicyDefinition, TableName } from "../types";
import { assertIdentifier, displayName, qualifiedName, quoteIdent, quoteLiteral } from "./ident";
import { CURRENT_USER_ID } from "./rls";

export const PLATFORM_TABLES = ["audit_logs", "qa_reports", "backup_metadata"] as const;
export type PlatformTable = (typeof PLATFORM_TABLES)[number];

export const AUDIT_FUNCTION = "launchpad_audit";
export const AUDIT_TRIGGER = "launchpad_audit";

const COLUMNS: Record<PlatformTable, string> = {
  audit_logs:
    "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " +
    "occurred_at timestamptz NOT NULL DEFAULT now(), " +
    // The JWT subject as text: a non-uuid subject must never make the app's own write fail.
    "actor text, actor_role text NOT NULL, table_schema text NOT NULL, table_name text NOT NULL, " +
    "action text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')), " +
    "row_before jsonb, row_after jsonb",
  qa_reports:
    "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " +
    "created_at timestamptz NOT NULL DEFAULT now(), reporter uuid DEFAULT auth.uid(), " +
    "environment text, subject text NOT NULL, " +
    "status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'passed', 'failed', 'closed')), " +
    "details jsonb NOT NULL DEFAULT '{}'::jsonb",
  backup_metadata:
    "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " +
    "started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, " +
    "status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')), " +
    "kind text NOT NULL DEFAULT 'daily', location text, size_bytes bigint, checksum text, " +
    "details jsonb NOT NULL DEFAULT '{}'::jsonb",
};

export function platformTableName(schema: string, table: PlatformTable): TableName {
  assertIdentifier(schema, "platform schema");
  return { schema, table };
}

export function createPlatformTableSql(schema: string, table: PlatformTable): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(platformTableName(schema, table))} (${COLUMNS[table]})`;
}

/** Policies of a platform table; `ownerRole` is the role that owns the tables and runs the trigger. */
export function platformPolicies(
  schema: string,
  table: PlatformTable,
  ownerRole: string,
): PolicyDefinition[] {
  const name = platformTableName(schema, table);
  const owner: PolicyDefinition = {
    table: name,
    name: `${table}_owner_all`,
    command: "all",
    roles: [ownerRole],
    using: "true",
    withCheck: "true",
  };
  if (table !== "qa_reports") return [owner];
  const own = `reporter = ${CURRENT_USER_ID}`;
  return [
    owner,
    {
      table: name,
      name: "qa_reports_reporter_select",
      command: "select",
      roles: ["authenticated"],
      using: own,
    },
    {
      table: name,
      name: "qa_reports_reporter_insert",
      command: "insert",
      roles: ["authenticated"],
      withCheck: own,
    },
  ];
}

/**
 * The trigger body. Kept as a constant so the installed `prosrc` can be compared with it. The
 * caller's role is read from the `role` setting: inside SECURITY DEFINER, current_user is the owner.
 *
 * It runs with the owner's powers, so it trusts nothing the caller could have made: it refuses any
 * table but the declared ones (a caller's own table could carry a column of a type whose cast to
 * json runs the caller's code as the owner), and every type and function it names is pg_catalog's.
 */
export function auditFunctionBody(schema: string, audited: readonly TableName[] = []): string {
  const auditLogs = qualifiedName(platformTableName(schema, "audit_logs"));
  const declared = [...new Set(audited.map(displayName))].sort().map(quoteLiteral).join(", ");
  return `
BEGIN
  IF NOT (TG_TABLE_SCHEMA OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) TG_TABLE_NAME)
         OPERATOR(pg_catalog.=) ANY (ARRAY[${declared}]::pg_catalog.text[]) THEN
    RAISE EXCEPTION 'launchpad_audit: %.% is not an audited table', TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO ${auditLogs} (actor, actor_role, table_schema, table_name, action, row_before, row_after)
  VALUES (
    coalesce(
      nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
      nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::pg_catalog.jsonb ->> 'sub'
    ),
    coalesce(nullif(pg_catalog.current_setting('role', true), 'none'), session_user::pg_catalog.text),
    TG_TABLE_SCHEMA,
    TG_TABLE_NAME,
    TG_OP,
    CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN pg_catalog.to_jsonb(OLD) END,
    CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN pg_catalog.to_jsonb(NEW) END
  );
  RETURN NULL;
END
`;
}

/**
 * SECURITY DEFINER so app roles, which cannot write audit_logs, still get their writes recorded.
 * pg_temp last in its search_path (unlisted, it would be searched first for types); EXECUTE for no
 * one, so no login can attach it to a table of its own (a trigger fires without that privilege).
 */
export function createAuditFunctionStatements(schema: string, audited: readonly TableName[] = []): string[] {
  const fn = `${quoteIdent(schema, "schema")}.${quoteIdent(AUDIT_FUNCTION, "function")}()`;
  return [
    `CREATE OR REPLACE FUNCTION ${fn} ` +
      `RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp ` +
      `AS $audit$${auditFunctionBody(schema, audited)}$audit$`,
    `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`,
  ];
}

export function dropAuditFunctionSql(schema: string): string {
  return `DROP FUNCTION IF EXISTS ${quoteIdent(schema, "schema")}.${quoteIdent(AUDIT_FUNCTION, "function")}()`;
}

export function createAuditTriggerSql(schema: string, table: TableName): string {
  return (
    `CREATE TRIGGER ${quoteIdent(AUDIT_TRIGGER, "trigger")} AFTER INSERT OR UPDATE OR DELETE ` +
    `ON ${qualifiedName(table)} FOR EACH ROW EXECUTE FUNCTION ` +
    `${quoteIdent(schema, "schema")}.${quoteIdent(AUDIT_FUNCTION, "function")}()`
  );
}

export function dropAuditTriggerSql(table: TableName): string {
  return `DROP TRIGGER IF EXISTS ${quoteIdent(AUDIT_TRIGGER, "trigger")} ON ${qualifiedName(table)}`;
}

export function dropPlatformTableSql(schema: string, table: PlatformTable): string {
  return `DROP TABLE IF EXISTS ${qualifiedName(platformTableName(schema, table))}`;
}
