/** The tables a backup declaration exports, resolved against the catalog: name and ordering key. */

import type { AppSpec } from "../../infra/config";
import { qualifiedName, quoteIdent } from "../../infra/providers/postgres/sql/ident";

export interface BackupTable {
  readonly table: string;
  /** Rows are exported in this column's order, so the same rows always give the same checksum. */
  readonly orderBy: string;
}

/** The platform tables the stack creates are keyed by `id`. */
const PLATFORM_KEY = "id";

export function backupTables(app: AppSpec): BackupTable[] {
  const backup = app.backup;
  if (!backup || !app.database) return [];
  return backup.tables.map((table) => ({
    table,
    orderBy: app.database!.tables[table]?.primaryKey ?? PLATFORM_KEY,
  }));
}

/** `public.<table>`, quoted. */
export function qualified(table: string): string {
  return qualifiedName({ schema: "public", table });
}

export function column(name: string): string {
  return quoteIdent(name, "column");
}
