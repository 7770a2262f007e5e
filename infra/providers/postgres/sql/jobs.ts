/**
 * Commands of the scheduled jobs besides the purge: a snapshot of a table into a dated table,
 * recorded in `backup_metadata`, and the cleanup of snapshots older than the retention. Each is one
 * DO block, so pg_cron runs it as a single transaction: a failed snapshot leaves no metadata row.
 */
import type { TableName } from "../types";
import { assertIdentifier, displayName, parseTableName, qualifiedName, quoteLiteral } from "./ident";

/** Schema holding the snapshot tables; owned by the role the jobs run as, usable by no one else. */
export const SNAPSHOT_SCHEMA = "snapshots";

/** `_YYYYMMDD_HHMMSS` is appended to the table's name; the result must stay a whole identifier. */
const STAMP_LENGTH = 16;
const MAX_IDENTIFIER = 63;

function retention(days: number, what: string): number {
  if (!Number.isSafeInteger(days) || days <= 0) {
    throw new Error(`${what}: retention must be a positive whole number of days`);
  }
  return days;
}

export interface SnapshotOptions {
  /** The table to copy. */
  readonly table: TableName | string;
  /** Where `backup_metadata` lives; default `public`. */
  readonly metadataSchema?: string;
  /** Schema receiving the snapshot tables; default `snapshots`. */
  readonly snapshotSchema?: string;
  /** Storage bucket the snapshot is meant to be exported to, recorded in the metadata row. */
  readonly bucket?: string;
}

/**
 * Copies the table into `<snapshots>.<table>_<YYYYMMDD>_<HHMMSS>` (UTC) and records the copy, its
 * row count and size in backup_metadata.
 */
export function snapshotCommand(options: SnapshotOptions): string {
  const source = typeof options.table === "string" ? parseTableName(options.table) : options.table;
  const target = options.snapshotSchema ?? SNAPSHOT_SCHEMA;
  const metadata = qualifiedName({ schema: options.metadataSchema ?? "public", table: "backup_metadata" });
  assertIdentifier(target, "snapshot schema");
  if (Buffer.byteLength(source.table) + STAMP_LENGTH > MAX_IDENTIFIER) {
    throw new Error(
      `snapshot of ${displayName(source)}: the table name is too long for a dated snapshot name ` +
        `(at most ${MAX_IDENTIFIER - STAMP_LENGTH} bytes)`,
    );
  }
  const details = [
    `'table', ${quoteLiteral(displayName(source))}`,
    "'snapshot', target",
    "'rows', copied",
    ...(options.bucket === undefined ? [] : [`'bucket', ${quoteLiteral(options.bucket)}`]),
  ].join(", ");
  return `DO $snapshot$
DECLARE
  started timestamptz := clock_timestamp();
  target text := ${quoteLiteral(`${source.table}_`)} || to_char(started AT TIME ZONE 'UTC', 'YYYYMMDD"_"HH24MISS');
  copied bigint;
BEGIN
  EXECUTE format('CREATE TABLE %I.%I AS TABLE %I.%I', ${quoteLiteral(target)}, target, ${quoteLiteral(source.schema)}, ${quoteLiteral(source.table)});
  GET DIAGNOSTICS copied = ROW_COUNT;
  INSERT INTO ${metadata} (started_at, finished_at, status, kind, location, size_bytes, details)
  VALUES (
    started, clock_timestamp(), 'succeeded', 'snapshot', format('%I.%I', ${quoteLiteral(target)}, target),
    pg_catalog.pg_total_relation_size(format('%I.%I', ${quoteLiteral(target)}, target)::regclass),
    jsonb_build_object(${details})
  );
END
$snapshot$`;
}

export interface SnapshotCleanupOptions {
  /** Snapshots older than this many days are dropped. */
  readonly retentionDays: number;
  readonly metadataSchema?: string;
  readonly snapshotSchema?: string;
}

/**
 * Drops the snapshot tables recorded in backup_metadata that are older than the retention, and marks
 * their rows `removed_at` (the history of backups stays). Only tables of the snapshot schema named by
 * a metadata row are dropped, quoted with %I.
 */
export function snapshotCleanupCommand(options: SnapshotCleanupOptions): string {
  const days = retention(options.retentionDays, "snapshot cleanup");
  const target = options.snapshotSchema ?? SNAPSHOT_SCHEMA;
  const metadata = qualifiedName({ schema: options.metadataSchema ?? "public", table: "backup_metadata" });
  assertIdentifier(target, "snapshot schema");
  return `DO $cleanup$
DECLARE
  snapshot record;
BEGIN
  FOR snapshot IN
    SELECT id, details ->> 'snapshot' AS name FROM ${metadata}
     WHERE kind = 'snapshot' AND status = 'succeeded' AND started_at < now() - interval '${days} days'
       AND details ->> 'snapshot' IS NOT NULL AND details ->> 'removed_at' IS NULL
  LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', ${quoteLiteral(target)}, snapshot.name);
    UPDATE ${metadata} SET details = details || jsonb_build_object('removed_at', now()) WHERE id = snapshot.id;
  END LOOP;
END
$cleanup$`;
}
