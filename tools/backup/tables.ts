/**
 * The tables a backup declaration exports: listed in the catalog (name and ordering key resolved
 * against it), or whole schemas whose tables are listed when the backup runs (schema-tables.ts).
 */

import type { AppSpec } from "../../infra/config";
import { qualifiedName, quoteIdent } from "../../infra/providers/postgres/sql/ident";

export interface BackupTable {
  /** `name` in schema public, `schema.name` elsewhere. */
  readonly table: string;
  /**
   * The table's key columns: rows are exported in their order, so the same rows always give the same
   * bytes and checksum. Empty for a table without a primary key, whose rows are then ordered by their
   * exported text (identical rows give identical lines, so ties cannot reorder the bytes).
   */
  readonly orderBy: readonly string[];
}

/** What a backup exports: tables known now, or schemas whose tables are listed at run time. */
export type BackupSelection = readonly BackupTable[] | { readonly schemas: readonly string[] };

/** The platform tables the stack creates are keyed by `id`. */
const PLATFORM_KEY = "id";

/** The declared tables; none for a backup by schema (see backupSelection). */
export function backupTables(app: AppSpec): BackupTable[] {
  const backup = app.backup;
  if (!backup?.tables || !app.database) return [];
  return backup.tables.map((table) => ({
    table,
    orderBy: [app.database!.tables[table]?.primaryKey ?? PLATFORM_KEY],
  }));
}

export function backupSelection(app: AppSpec): BackupSelection {
  return app.backup?.schemas ? { schemas: app.backup.schemas } : backupTables(app);
}

/** The name a backup gives a table: bare in public, schema-qualified elsewhere. */
export function tableName(schema: string, table: string): string {
  return schema === "public" ? table : `${schema}.${table}`;
}

/** `public.<table>` or `<schema>.<table>`, quoted. */
export function qualified(table: string): string {
  const dot = table.indexOf(".");
  return dot < 0
    ? qualifiedName({ schema: "public", table })
    : qualifiedName({ schema: table.slice(0, dot), table: table.slice(dot + 1) });
}

export function column(name: string): string {
  return quoteIdent(name, "column");
}
