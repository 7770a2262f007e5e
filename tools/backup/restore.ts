/**
 * `launchpad restore`: a backup object verified whole (size and SHA-256 of its manifest) before
 * anything is written, then replayed into the target database in one transaction — target tables
 * locked, refused when non-empty unless forced, rows inserted in batches, each table's row count and
 * checksum checked against the backup's own as it goes. Any mismatch rolls everything back.
 */

import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StringDecoder } from "string_decoder";
import { createGunzip } from "zlib";
import type { Client } from "pg";
import type { StorageClient } from "../../infra/providers/supabase/storage";
import { withDatabase } from "./database";
import { fetchManifest, fetchVerified, RestoreRefused } from "./download";
import { parseControlLine, type BackupManifest, type Line, type TableSummary } from "./format";
import { column, qualified } from "./tables";

export { RestoreRefused } from "./download";

export interface RestoreTarget {
  readonly app: string;
  readonly bucket: string;
  /** The object's name in the bucket. */
  readonly object: string;
  readonly databaseUrl: string;
  readonly storage: StorageClient;
  /** Empty non-empty target tables first, instead of refusing. */
  readonly force: boolean;
  /** A checksum to hold the object to besides its manifest's (e.g. backup_metadata.checksum). */
  readonly checksum?: string;
  /** Rows per INSERT. */
  readonly batchRows?: number;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  readonly tables: TableSummary[];
}

/** The tables exist (then are locked against writers) and are empty, or `force` is given. */
async function checkTargets(client: Client, tables: readonly string[], force: boolean): Promise<void> {
  const missing: string[] = [];
  for (const table of tables) {
    const exists = await client.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [
      qualified(table),
    ]);
    if (!exists.rows[0]!.ok) missing.push(table);
  }
  if (missing.length > 0) {
    throw new RestoreRefused(
      `the target database has no table ${missing.join(", ")}: apply the app's migrations first; nothing was written`,
    );
  }
  await client.query(`LOCK TABLE ${tables.map(qualified).join(", ")} IN ACCESS EXCLUSIVE MODE`);
  const nonEmpty: string[] = [];
  for (const table of tables) {
    const any = await client.query(`SELECT 1 FROM ${qualified(table)} LIMIT 1`);
    if (any.rowCount! > 0) nonEmpty.push(table);
  }
  if (nonEmpty.length > 0 && !force) {
    throw new RestoreRefused(
      `table ${nonEmpty.join(", ")} is not empty; pass --force to replace its rows; nothing was written`,
    );
  }
}

async function insertBatch(client: Client, table: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await client.query(
    `INSERT INTO ${qualified(table)} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${qualified(table)}, $1::json)`,
    [`[${lines.join(",")}]`],
  );
}

/** Identity and serial columns continue after the restored keys. */
async function resetSequences(client: Client, table: string): Promise<void> {
  const sequences = await client.query<{ name: string; seq: string }>(
    `SELECT a.attname AS name, pg_get_serial_sequence($1, a.attname) AS seq FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence($1, a.attname) IS NOT NULL`,
    [qualified(table)],
  );
  for (const { name, seq } of sequences.rows) {
    await client.query(
      `SELECT setval($1, coalesce(max(${column(name)})::bigint, 1), max(${column(name)}) IS NOT NULL) FROM ${qualified(table)}`,
      [seq],
    );
  }
}

/**
 * The lines of a stream, read a chunk at a time as they are consumed (readline's iterator reads
 * ahead of a slow consumer, which would hold the whole backup while the inserts run).
 */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  // A chunk may end inside a multi-byte character: the decoder keeps its first bytes for the next.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of input) {
    const lines = (rest + decoder.write(chunk)).split("\n");
    rest = lines.pop()!;
    yield* lines;
  }
  rest += decoder.end();
  if (rest !== "") yield rest;
}

/** Replays the verified file; throws (rolling back) on any structural or checksum mismatch. */
async function replay(
  client: Client,
  file: string,
  manifest: BackupManifest,
  batchRows: number,
): Promise<TableSummary[]> {
  const expected = new Map(manifest.tables.map((t) => [t.table, t]));
  const lines = linesOf(fs.createReadStream(file).pipe(createGunzip()));
  const restored: TableSummary[] = [];
  let current:
    { table: string; hash: ReturnType<typeof createHash>; rows: number; batch: string[] } | undefined;
  let ended = false;
  let sawHeader = false;
  for await (const text of lines) {
    if (ended) throw new RestoreRefused("data after the end of the backup");
    const control: Line | undefined = parseControlLine(text);
    if (!control) {
      if (!current) throw new RestoreRefused("a row outside any table section");
      current.hash.update(text + "\n");
      current.rows++;
      current.batch.push(text);
      if (current.batch.length >= batchRows) {
        await insertBatch(client, current.table, current.batch);
        current.batch = [];
      }
      continue;
    }
    switch (control.kind) {
      case "header":
        sawHeader = true;
        if (control.app !== manifest.app)
          throw new RestoreRefused(`the object holds a backup of ${control.app}, not ${manifest.app}`);
        break;
      case "table":
        if (!sawHeader || current) throw new RestoreRefused(`misplaced section of ${control.table}`);
        if (!expected.has(control.table))
          throw new RestoreRefused(`table ${control.table} is not in the manifest`);
        current = { table: control.table, hash: createHash("sha256"), rows: 0, batch: [] };
        break;
      case "end-table": {
        if (!current || current.table !== control.table)
          throw new RestoreRefused(`misplaced end of ${control.table}`);
        await insertBatch(client, current.table, current.batch);
        const summary = { table: current.table, rows: current.rows, sha256: current.hash.digest("hex") };
        const want = expected.get(current.table)!;
        if (
          summary.rows !== control.rows ||
          summary.rows !== want.rows ||
          summary.sha256 !== control.sha256 ||
          summary.sha256 !== want.sha256
        ) {
          throw new RestoreRefused(
            `${current.table}: ${summary.rows} rows read do not match the backup's ${want.rows} rows and checksum`,
          );
        }
        await resetSequences(client, current.table);
        restored.push(summary);
        current = undefined;
        break;
      }
      case "end":
        ended = true;
        break;
    }
  }
  if (!ended || current) throw new RestoreRefused("the backup ends early (truncated)");
  if (restored.length !== expected.size)
    throw new RestoreRefused("tables of the manifest are missing from the backup");
  return restored;
}

export async function runRestore(target: RestoreTarget): Promise<RestoreResult> {
  const manifest = await fetchManifest(target.storage, target.bucket, target.object);
  if (manifest.app !== target.app) {
    throw new RestoreRefused(
      `${target.bucket}/${target.object} is a backup of ${manifest.app}, not ${target.app}`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-restore-"));
  const file = path.join(dir, "backup.ndjson.gz");
  try {
    await fetchVerified(target.storage, target.bucket, manifest, file, target.checksum);
    const tables = manifest.tables.map((t) => t.table);
    const restored = await withDatabase(target.databaseUrl, async (client) => {
      await client.query("BEGIN");
      try {
        await checkTargets(client, tables, target.force);
        if (target.force) await client.query(`TRUNCATE ${tables.map(qualified).join(", ")}`);
        const result = await replay(client, file, manifest, target.batchRows ?? 1_000);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (error instanceof RestoreRefused) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new RestoreRefused(`restore rolled back, nothing was written: ${message}`);
      }
    }).catch((error: unknown) => {
      if (error instanceof RestoreRefused) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new RestoreRefused(`restore failed, nothing was written: ${message}`);
    });
    return { manifest, tables: restored };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
