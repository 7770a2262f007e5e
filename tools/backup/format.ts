/**
 * The backup object: gzip of newline-delimited JSON. A header line, then per table a section line,
 * its rows (Postgres' `row_to_json`, one per line, in primary-key order) and an end line with the
 * table's row count and SHA-256 over its row lines; a last line closes the object. A manifest
 * object beside it gives the SHA-256 and size of the compressed bytes, so a restore can judge an
 * object before reading a single row, even when the source database (and its backup_metadata) is
 * gone.
 */

export const FORMAT = "launchpad-backup/1";

export interface TableSummary {
  readonly table: string;
  readonly rows: number;
  /** Hex SHA-256 over the table's row lines, each followed by `\n`. */
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof FORMAT;
  readonly stack: string;
  readonly app: string;
  /** The data object's name in its bucket. */
  readonly object: string;
  readonly bucket: string;
  /** Hex SHA-256 of the compressed object. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly startedAt: string;
  readonly tables: readonly TableSummary[];
}

export type Line =
  | { kind: "header"; format: string; stack: string; app: string; tables: string[] }
  | { kind: "table"; table: string }
  | { kind: "end-table"; table: string; rows: number; sha256: string }
  | { kind: "end" };

/** Control lines are JSON arrays, rows JSON objects: one byte tells them apart. */
export function controlLine(line: Line): string {
  return JSON.stringify(["launchpad", line]);
}

export function parseControlLine(text: string): Line | undefined {
  if (!text.startsWith("[")) return undefined;
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed) || parsed[0] !== "launchpad" || typeof parsed[1] !== "object") {
    throw new Error("not a launchpad backup line");
  }
  return parsed[1] as Line;
}

/** `20261207T020000Z`: sortable, and safe in an object name. */
export function stampOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export function parseStamp(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** Where a stack's backups of an app live in the bucket. */
export function backupPrefix(stack: string, app: string): string {
  return `${stack}/${app}`;
}

export function objectNameOf(stack: string, app: string, startedAt: Date): string {
  return `${backupPrefix(stack, app)}/${stampOf(startedAt)}.ndjson.gz`;
}

export function manifestNameOf(object: string): string {
  return `${object}.manifest.json`;
}

/** The time in a backup object's (or its manifest's) name; undefined for names that are not ours. */
export function stampOfName(name: string): Date | undefined {
  const m = /(\d{8}T\d{6}Z)\.ndjson\.gz(\.manifest\.json)?$/.exec(name);
  return m ? parseStamp(m[1]!) : undefined;
}
