/**
 * The backup's record in the app's `backup_metadata` (created by the stack's PlatformTables):
 * a `running` row when it starts, `succeeded` or `failed` when it ends, with the object's location,
 * size, checksum, row counts per table and duration.
 */

import { withDatabase } from "./database";
import type { TableSummary } from "./format";

/** The `kind` of the rows this command writes (the in-database snapshots write `snapshot`). */
export const EXPORT_KIND = "export";

const TABLE = "public.backup_metadata";

export interface MetadataRow {
  readonly id: string;
  readonly startedAt: Date;
  readonly status: "running" | "succeeded" | "failed";
  /** `bucket/object`. */
  readonly location: string | null;
}

export async function recordStart(
  databaseUrl: string,
  startedAt: Date,
  details: { stack: string; app: string; bucket: string; object: string },
): Promise<string> {
  return withDatabase(databaseUrl, async (client) => {
    const result = await client.query<{ id: string }>(
      `INSERT INTO ${TABLE} (started_at, status, kind, location, details) VALUES ($1, 'running', $2, $3, $4) RETURNING id::text`,
      [startedAt, EXPORT_KIND, `${details.bucket}/${details.object}`, details],
    );
    return result.rows[0]!.id;
  });
}

export async function recordSuccess(
  databaseUrl: string,
  id: string,
  outcome: {
    finishedAt: Date;
    sizeBytes: number;
    sha256: string;
    tables: readonly TableSummary[];
    durationMs: number;
  },
): Promise<void> {
  await withDatabase(databaseUrl, (client) =>
    client.query(
      `UPDATE ${TABLE} SET status = 'succeeded', finished_at = $2, size_bytes = $3, checksum = $4,
         details = details || $5::jsonb WHERE id = $1`,
      [
        id,
        outcome.finishedAt,
        outcome.sizeBytes,
        `sha256:${outcome.sha256}`,
        {
          rows: Object.fromEntries(outcome.tables.map((t) => [t.table, t.rows])),
          tableChecksums: Object.fromEntries(outcome.tables.map((t) => [t.table, `sha256:${t.sha256}`])),
          durationMs: outcome.durationMs,
        },
      ],
    ),
  );
}

export async function recordFailure(
  databaseUrl: string,
  id: string,
  outcome: { finishedAt: Date; error: string; durationMs: number },
): Promise<void> {
  await withDatabase(databaseUrl, (client) =>
    client.query(
      `UPDATE ${TABLE} SET status = 'failed', finished_at = $2, size_bytes = NULL, checksum = NULL,
         details = details || $3::jsonb WHERE id = $1`,
      [id, outcome.finishedAt, { error: outcome.error, durationMs: outcome.durationMs }],
    ),
  );
}

export async function exportRows(databaseUrl: string): Promise<MetadataRow[]> {
  return withDatabase(databaseUrl, async (client) => {
    const result = await client.query<{
      id: string;
      started_at: Date;
      status: MetadataRow["status"];
      location: string | null;
    }>(
      `SELECT id::text, started_at, status, location FROM ${TABLE} WHERE kind = $1 ORDER BY started_at, id`,
      [EXPORT_KIND],
    );
    return result.rows.map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      status: r.status,
      location: r.location,
    }));
  });
}

export async function deleteRows(databaseUrl: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await withDatabase(databaseUrl, (client) =>
    client.query(`DELETE FROM ${TABLE} WHERE kind = $1 AND id = ANY($2::bigint[])`, [EXPORT_KIND, ids]),
  );
}
