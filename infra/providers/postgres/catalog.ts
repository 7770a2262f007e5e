/**
 * Catalog reads shared by the providers: what the live database holds, as opposed to what the
 * stack declares. Everything here is a read.
 */
import type { Session } from "./connection";
import { displayName } from "./sql/ident";
import { parsePolicyComment, policyFingerprint } from "./sql/rls";
import type { TableName } from "./types";

export interface TableState {
  readonly oid: number;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
}

/** The table's RLS flags, or undefined when no such table exists. */
export async function findTable(session: Session, table: TableName): Promise<TableState | undefined> {
  const rows = await session.query<{ oid: number; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    `SELECT c.oid::int AS oid, c.relrowsecurity, c.relforcerowsecurity
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [table.schema, table.table],
  );
  const row = rows[0];
  return row && { oid: row.oid, rlsEnabled: row.relrowsecurity, rlsForced: row.relforcerowsecurity };
}

/** Tables belong to the apps' migrations: say which table and who must create it. */
export function missingTableError(table: TableName, purpose: string, migration?: string): Error {
  const by = migration ? ` (${migration})` : "";
  return new Error(
    `Table ${displayName(table)} does not exist. Tables belong to the app's migrations: the app's ` +
      `migration${by} must create ${displayName(table)} before ${purpose} can be applied.`,
  );
}

export async function requireTable(
  session: Session,
  table: TableName,
  purpose: string,
  migration?: string,
): Promise<TableState> {
  const state = await findTable(session, table);
  if (!state) throw missingTableError(table, purpose, migration);
  return state;
}

/**
 * Live policies of a table: name → definition hash from our comment, or null when the policy has
 * no comment of ours or was edited by hand since (its deparsed form no longer matches the
 * fingerprint taken at creation).
 */
export async function readPolicyHashes(
  session: Session,
  tableOid: number,
): Promise<Record<string, string | null>> {
  const result: Record<string, string | null> = {};
  for (const policy of await readPolicies(session, tableOid)) {
    const stored = parsePolicyComment(policy.comment);
    result[policy.name] = stored && stored.fingerprint === policyFingerprint(policy) ? stored.hash : null;
  }
  return result;
}

export interface LivePolicy {
  readonly name: string;
  readonly comment: string | null;
  readonly command: string;
  readonly permissive: boolean;
  readonly roles: string[];
  readonly qual: string | null;
  readonly withCheck: string | null;
}

export async function readPolicies(session: Session, tableOid: number, name?: string): Promise<LivePolicy[]> {
  return session.query<LivePolicy>(
    `SELECT p.polname AS name, pg_catalog.obj_description(p.oid, 'pg_policy') AS comment,
            p.polcmd::text AS command, p.polpermissive AS permissive,
            ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
                    FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS qual,
            pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS "withCheck"
       FROM pg_catalog.pg_policy p
      WHERE p.polrelid = $1 AND ($2::name IS NULL OR p.polname = $2)
      ORDER BY p.polname`,
    [tableOid, name ?? null],
  );
}

export async function relationExists(session: Session, qualified: string): Promise<boolean> {
  const rows = await session.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
    qualified,
  ]);
  return rows[0]?.found === true;
}

/** The source of a function without arguments, or undefined when it does not exist. */
export async function functionSource(
  session: Session,
  schema: string,
  name: string,
): Promise<{ source: string; securityDefiner: boolean; publicExecute: boolean } | undefined> {
  const rows = await session.query<{ prosrc: string; prosecdef: boolean; public_execute: boolean }>(
    // A NULL ACL is the default one, which gives PUBLIC EXECUTE.
    `SELECT p.prosrc, p.prosecdef,
            p.proacl IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.aclexplode(p.proacl) a
                                         WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS public_execute
       FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.proname = $2 AND p.pronargs = 0`,
    [schema, name],
  );
  const row = rows[0];
  return row && { source: row.prosrc, securityDefiner: row.prosecdef, publicExecute: row.public_execute };
}
