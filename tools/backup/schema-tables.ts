/**
 * The tables of a backup by schema, listed from the database when the backup runs: ordinary and
 * partitioned tables (not their partitions, whose rows the parent exports), backup_metadata aside,
 * each ordered by all its primary key's columns (a table without one by its exported rows'
 * text), parents before the tables whose foreign keys reference them so a restore inserts
 * them in an order the keys accept.
 */

import type { Client } from "pg";
import { tableName, type BackupSelection, type BackupTable } from "./tables";

interface Listed {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly key_columns: string[];
  readonly column_count: number;
  readonly refs: string[];
}

const LIST_TABLES = `
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name,
  ARRAY(SELECT a.attname::text FROM pg_index i
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.position) AS key_columns,
  (SELECT count(*)::int FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
    AS column_count,
  ARRAY(SELECT f.confrelid::text FROM pg_constraint f
    WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS refs
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT (n.nspname = 'public' AND c.relname = 'backup_metadata')
ORDER BY n.nspname, c.relname`;

/** Parents first; tables in a cycle of foreign keys keep their name order. */
function parentsFirst(tables: readonly Listed[]): Listed[] {
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const placed = new Set<string>();
  const ordered: Listed[] = [];
  const visiting = new Set<string>();
  const place = (table: Listed) => {
    if (placed.has(table.oid) || visiting.has(table.oid)) return;
    visiting.add(table.oid);
    for (const ref of table.refs) {
      const parent = byOid.get(ref);
      if (parent) place(parent);
    }
    visiting.delete(table.oid);
    placed.add(table.oid);
    ordered.push(table);
  };
  tables.forEach(place);
  return ordered;
}

/**
 * The tables of `schemas` as `client` sees them (the export lists them inside its own snapshot, so a
 * table created or dropped meanwhile is in the listing and the rows alike, or in neither); throws
 * when there are none.
 */
export async function listSchemaTables(client: Client, schemas: readonly string[]): Promise<BackupTable[]> {
  const listed = (await client.query<Listed>(LIST_TABLES, [schemas])).rows;
  if (listed.length === 0) throw new Error(`schema ${schemas.join(", ")} holds no table to back up`);
  const columnless = listed.find((t) => t.column_count === 0);
  if (columnless) throw new Error(`table ${tableName(columnless.schema, columnless.name)} has no column`);
  return parentsFirst(listed).map((t) => ({ table: tableName(t.schema, t.name), orderBy: t.key_columns }));
}

/** The tables a selection stands for, as `client` sees them. */
export async function resolveSelection(client: Client, selection: BackupSelection): Promise<BackupTable[]> {
  return "schemas" in selection ? listSchemaTables(client, selection.schemas) : [...selection];
}
