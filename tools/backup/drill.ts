/**
 * The restore drill `launchpad rehearse` runs for every app with a backup declaration, on the
 * rehearsal's database (the layer applied, the stand-in tables in place; for a backup by schema,
 * tables of the drill's own that the catalog does not list, found by the backup's run-time
 * listing): generated rows are backed
 * up through the real client to a local Storage built from the spec; rows are then deleted and
 * added; the backup is restored into a scratch database, where every table must have the row count
 * and checksum of the backup. A second restore into the now non-empty tables must be refused, and a
 * corrupted object must be refused with nothing written.
 */

import { randomBytes } from "crypto";
import type { AppSpec } from "../../infra/config";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { startFakeStorage, type FakeStorage } from "../fakes/supabase-storage";
import { failed, verdict, type ProbeResult } from "../rehearse/report";
import { runBackup } from "./backup";
import { withDatabase } from "./database";
import { tableSummary } from "./export";
import type { TableSummary } from "./format";
import { createBackupTables, drillOwnTables, drillRowsSql, dropDrillTables } from "./drill-tables";
import { ensurePrivateBucket } from "./external-bucket";
import { RestoreRefused, runRestore } from "./restore";
import { resolveSelection } from "./schema-tables";
import { backupSelection, qualified, type BackupTable } from "./tables";

/** Rows generated per table, numbered far from the stand-ins' own keys. */
const DRILL_ROWS = 500;
const FIRST_ROW = 50_000_000;

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const same = (a: readonly TableSummary[], b: readonly TableSummary[]) =>
  JSON.stringify(a) === JSON.stringify(b);

async function summaries(url: string, tables: readonly BackupTable[]): Promise<TableSummary[]> {
  return Promise.all(tables.map((t) => tableSummary(url, t)));
}

/** Why the run-time listing missed the drill's own tables or put the child first, if it did. */
function listingProblem(own: readonly string[], listed: readonly TableSummary[]): string | undefined {
  const at = own.map((table) => listed.findIndex((t) => t.table === table));
  if (at.some((i) => i < 0)) return `the backup by schema did not find ${own.join(", ")}`;
  return at[0]! > at[1]! ? `${own[1]} is backed up before ${own[0]}, the table it references` : undefined;
}

/** The drill's probes for one app; `adminUrl` is the rehearsal's database, holding the app's layer. */
export async function drillBackup(
  stack: string,
  app: string,
  spec: AppSpec,
  adminUrl: string,
): Promise<ProbeResult[]> {
  const backup = spec.backup!;
  const subject = `backup ${backup.bucket}`;
  const probes: ProbeResult[] = [];
  const scratch: string[] = [];
  let fake: FakeStorage | undefined;
  let tables: BackupTable[] = [];
  const own = drillOwnTables(spec);
  const scratchDatabase = async () => {
    const name = `launchpad_drill_${randomBytes(4).toString("hex")}`;
    await withDatabase(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    scratch.push(name);
    const url = urlOf(adminUrl, name);
    await createBackupTables(
      url,
      spec,
      tables.map((t) => t.table),
    );
    return url;
  };
  try {
    fake = await startFakeStorage({ serviceKey: randomBytes(24).toString("base64url") });
    const storage = new StorageClient({
      projectUrl: fake.url,
      env: { SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey },
    });
    const bucket = spec.buckets[backup.bucket];
    if (bucket) {
      await storage.createBucket(backup.bucket, {
        public: bucket.public,
        fileSizeLimit: bucket.fileSizeLimitMb * 1024 * 1024,
      });
      fake.store.buckets.get(backup.bucket)!.allowed_mime_types = bucket.allowedMimeTypes;
    } else await ensurePrivateBucket(storage, backup.bucket);

    // A backup by schema: tables the catalog does not list, which only the run-time listing finds.
    if (own.length > 0) await createBackupTables(adminUrl, spec, own);
    tables = await withDatabase(adminUrl, (client) => resolveSelection(client, backupSelection(spec)));
    await withDatabase(adminUrl, async (client) => {
      for (const table of tables) {
        await client.query(drillRowsSql(spec, table.table, FIRST_ROW, FIRST_ROW + DRILL_ROWS - 1));
      }
    });
    const before = await summaries(adminUrl, tables);
    const taken = await runBackup(
      { stack, app, bucket: backup.bucket, tables: backupSelection(spec), databaseUrl: adminUrl, storage },
      () => new Date(),
    );
    const [recorded] = await withDatabase(
      adminUrl,
      async (client) =>
        (
          await client.query<{ status: string }>("SELECT status FROM public.backup_metadata WHERE id = $1", [
            taken.metadataId,
          ])
        ).rows,
    );
    const rows = before.reduce((n, t) => n + t.rows, 0);
    const missedOwn = own.length > 0 ? listingProblem(own, taken.manifest.tables) : undefined;
    probes.push(
      verdict(
        subject,
        "backed up to Storage and recorded",
        !same(taken.manifest.tables, before)
          ? "the backup's row counts or checksums differ from the tables'"
          : missedOwn
            ? missedOwn
            : recorded?.status !== "succeeded"
              ? `backup_metadata records it as ${recorded?.status ?? "nothing"}`
              : undefined,
        `${rows} rows in ${before.length} tables${backup.schemas ? ` (schema ${backup.schemas.join(", ")}, listed at run time)` : ""}, ${taken.manifest.sizeBytes} bytes`,
      ),
    );

    // The damage: rows deleted and rows added since the backup.
    await withDatabase(adminUrl, async (client) => {
      for (const table of tables) {
        await client.query(
          `DELETE FROM ${qualified(table.table)} WHERE ctid IN (SELECT ctid FROM ${qualified(table.table)} LIMIT 25)`,
        );
        await client.query(
          drillRowsSql(spec, table.table, FIRST_ROW + DRILL_ROWS, FIRST_ROW + DRILL_ROWS + 9),
        );
      }
    });
    const damaged = await summaries(adminUrl, tables);

    const target = await scratchDatabase();
    const restored = await runRestore({
      app,
      bucket: backup.bucket,
      object: taken.object,
      databaseUrl: target,
      storage,
      force: false,
    });
    const after = await summaries(target, tables);
    probes.push(
      verdict(
        subject,
        "restored into a scratch database: row counts and checksums match the backup",
        same(damaged, before)
          ? "deleting and adding rows changed no checksum: the comparison proves nothing"
          : !same(after, before)
            ? `restored ${after.map((t) => `${t.table} ${t.rows}`).join(", ")}; backed up ${before.map((t) => `${t.table} ${t.rows}`).join(", ")}`
            : !same(restored.tables, before)
              ? "the restore reported other counts than it wrote"
              : undefined,
        `${restored.tables.map((t) => `${t.table} ${t.rows}`).join(", ")}`,
      ),
    );

    const again = await runRestore({
      app,
      bucket: backup.bucket,
      object: taken.object,
      databaseUrl: target,
      storage,
      force: false,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    probes.push(
      verdict(
        subject,
        "a restore over non-empty tables is refused without --force",
        again instanceof RestoreRefused && /not empty/.test(again.message)
          ? undefined
          : `it was not refused: ${String(again)}`,
      ),
    );

    const original = fake.store.read(backup.bucket, taken.object)!;
    const corrupted = Buffer.from(original);
    corrupted[corrupted.length >> 1]! ^= 0x5a;
    fake.store.overwrite(backup.bucket, taken.object, corrupted);
    const empty = await scratchDatabase();
    const refused = await runRestore({
      app,
      bucket: backup.bucket,
      object: taken.object,
      databaseUrl: empty,
      storage,
      force: false,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const untouched = (await summaries(empty, tables)).every((t) => t.rows === 0);
    probes.push(
      verdict(
        subject,
        "a corrupted object is refused, nothing written",
        !(refused instanceof RestoreRefused)
          ? `it was not refused: ${String(refused)}`
          : !untouched
            ? "rows were written before the refusal"
            : undefined,
      ),
    );
  } catch (error) {
    probes.push(
      failed(subject, "backup and restore drill", error instanceof Error ? error.message : String(error)),
    );
  } finally {
    await fake?.close();
    await dropDrillTables(adminUrl, spec).catch(() => undefined);
    for (const name of scratch) {
      await withDatabase(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).catch(() => undefined);
    }
  }
  return probes;
}
