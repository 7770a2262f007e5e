/**
 * Catalog reads shared by the providers: what the live database holds, as opposed to what the
 * stack declares. Everything here is a read.
 */
import type { Session } from "./connection";
import { displayName } from "./sql/ident";
import { hashFromComment } from "./sql/rls";
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

/** Live policies of a table: name → hash from our comment (null for a policy without one). */
export async function readPolicyHashes(
  session: Session,
  tableOid: number,
): Promise<Record<string, string | null>> {
  const rows = await session.query<{ name: string; comment: string | null }>(
    `SELECT p.polname AS name, pg_catalog.obj_description(p.oid, 'pg_policy') AS comment
       FROM pg_catalog.pg_policy p WHERE p.polrelid = $1 ORDER BY p.polname`,
    [tableOid],
  );
  const result: Record<string, string | null> = {};
  for (const row of rows) result[row.name] = hashFromComment(row.comment);
  return result;
}

export async function roleExists(session: Session, role: string): Promise<boolean> {
  const rows = await session.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [role]);
  return rows.length > 0;
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
): Promise<{ source: string; securityDefiner: boolean } | undefined> {
  const rows = await session.query<{ prosrc: string; prosecdef: boolean }>(
    `SELECT p.prosrc, p.prosecdef FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.proname = $2 AND p.pronargs = 0`,
    [schema, name],
  );
  const row = rows[0];
  return row && { source: row.prosrc, securityDefiner: row.prosecdef };
}
