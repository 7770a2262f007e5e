/**
 * Rows generated inside Postgres for a declared table (`INSERT … SELECT … FROM generate_series`):
 * the backup drill's data and the benchmark's million rows, any number without client memory.
 * Values are a function of the row number, so keys never collide across calls with distinct ranges.
 */

import type { DatabaseSpec, TableSpec } from "../../infra/config";
import { column, qualified } from "./tables";

type ColumnType = TableSpec["columns"][string];

function valueOf(type: ColumnType, name: string): string {
  switch (type) {
    case "uuid":
      return `md5(${quote(name)} || g::text)::uuid`;
    case "text":
      return `'row ' || g || ' ' || md5(g::text)`;
    case "integer":
      return "g::integer";
    case "bigint":
      return "g::bigint";
    case "numeric":
      return "(g * 1.25)::numeric";
    case "boolean":
      return "g % 2 = 0";
    case "timestamptz":
      return "timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'";
    case "jsonb":
      return "jsonb_build_object('n', g, 'label', 'row ' || g)";
    case "date":
      return "date '2026-01-01' + (g % 365)::integer";
  }
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Platform tables the stack creates: their required columns, generated. */
const PLATFORM_ROWS: Record<string, Record<string, string>> = {
  audit_logs: {
    actor_role: "'service_role'",
    table_schema: "'public'",
    table_name: "'generated'",
    action: "'INSERT'",
    row_after: "jsonb_build_object('n', g)",
  },
  qa_reports: { subject: "'report ' || g", details: "jsonb_build_object('n', g)" },
};

/** Rows numbered `from` to `to` (inclusive) of a table declared in the database or a platform table. */
export function generatedRowsSql(database: DatabaseSpec, table: string, from: number, to: number): string {
  const declared = database.tables[table];
  const columns: Record<string, string> = declared
    ? Object.fromEntries(Object.entries(declared.columns).map(([name, type]) => [name, valueOf(type, name)]))
    : (PLATFORM_ROWS[table] ?? {});
  const names = Object.keys(columns);
  if (names.length === 0) throw new Error(`no generated rows for table ${table}`);
  return (
    `INSERT INTO ${qualified(table)} (${names.map(column).join(", ")}) ` +
    `SELECT ${names.map((n) => columns[n]).join(", ")} FROM generate_series(${from}, ${to}) AS g`
  );
}
