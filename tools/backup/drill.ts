/**
 * The restore drill `launchpad rehearse` runs for every app with a backup declaration, on the
 * rehearsal's database (the layer applied, the stand-in tables in place): generated rows are backed
 * up through the real client to a local Storage built from the spec; rows are then deleted and
 * added; the backup is restored into a scratch database, where every table must have the row count
 * and checksum of the backup. A second restore into the now non-empty tables must be refused, and a
 * corrupted object must be refused with nothing written.
 */

import { randomBytes } from "crypto";
import type { AppSpec } from "../../infra/config";
import {
  createPlatformTableSql,
  type PlatformTable,
} from "../../infra/providers/postgres/sql/platform-tables";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { startFakeStorage, type FakeStorage } from "../fakes/supabase-storage";
import { failed, verdict, type ProbeResult } from "../rehearse/report";
import { createTableSql, standInTables } from "../rehearse/stand-ins";
import { runBackup } from "./backup";
import { withDatabase } from "./database";
import { tableSummary } from "./export";
import type { TableSummary } from "./format";
import { generatedRowsSql } from "./generated-rows";
import { RestoreRefused, runRestore } from "./restore";
import { backupTables, qualified } from "./tables";

/** Rows generated per table, numbered far from the stand-ins' own keys. */
const DRILL_ROWS = 500;
const FIRST_ROW = 50_000_000;

/** The backed-up tables as the app's migrations create them (stand-ins of the catalog's columns). */
export async function createBackupTables(url: string, spec: AppSpec): Promise<void> {
  const standIns = standInTables(spec.database!);
  await withDatabase(url, async (client) => {
    for (const table of spec.backup!.tables) {
      const standIn = standIns.find((t) => t.table === table);
      if (standIn) await client.query(createTableSql(standIn));
      else {
        // qa_reports defaults its reporter to auth.uid(), which a bare scratch database lacks.
        await client.query("CREATE SCHEMA IF NOT EXISTS auth");
        await client.query(
          "CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid'",
        );
        await client.query(createPlatformTableSql("public", table as PlatformTable));
      }
    }
  });
}

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const same = (a: readonly TableSummary[], b: readonly TableSummary[]) =>
  JSON.stringify(a) === JSON.stringify(b);

async function summaries(url: string, spec: AppSpec): Promise<TableSummary[]> {
  return Promise.all(backupTables(spec).map((t) => tableSummary(url, t)));
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
  const scratchDatabase = async () => {
    const name = `launchpad_drill_${randomBytes(4).toString("hex")}`;
    await withDatabase(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    scratch.push(name);
    const url = urlOf(adminUrl, name);
    await createBackupTables(url, spec);
    return url;
  };
  try {
    fake = await startFakeStorage({ serviceKey: randomBytes(24).toString("base64url") });
    const storage = new StorageClient({
      projectUrl: fake.url,
      env: { SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey },
    });
    const bucket = spec.buckets[backup.bucket]!;
    await storage.createBucket(backup.bucket, {
      public: bucket.public,
      fileSizeLimit: bucket.fileSizeLimitMb * 1024 * 1024,
    });
    fake.store.buckets.get(backup.bucket)!.allowed_mime_types = bucket.allowedMimeTypes;

    await withDatabase(adminUrl, async (client) => {
      for (const table of backup.tables) {
        await client.query(generatedRowsSql(spec.database!, table, FIRST_ROW, FIRST_ROW + DRILL_ROWS - 1));
      }
    });
    const before = await summaries(adminUrl, spec);
    const taken = await runBackup(
      { stack, app, bucket: backup.bucket, tables: backupTables(spec), databaseUrl: adminUrl, storage },
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
    probes.push(
      verdict(
        subject,
        "backed up to Storage and recorded",
        !same(taken.manifest.tables, before)
          ? "the backup's row counts or checksums differ from the tables'"
          : recorded?.status !== "succeeded"
            ? `backup_metadata records it as ${recorded?.status ?? "nothing"}`
            : undefined,
        `${rows} rows in ${before.length} tables, ${taken.manifest.sizeBytes} bytes`,
      ),
    );

    // The damage: rows deleted and rows added since the backup.
    await withDatabase(adminUrl, async (client) => {
      for (const table of backupTables(spec)) {
        await client.query(
          `DELETE FROM ${qualified(table.table)} WHERE ctid IN (SELECT ctid FROM ${qualified(table.table)} LIMIT 25)`,
        );
        await client.query(
          generatedRowsSql(spec.database!, table.table, FIRST_ROW + DRILL_ROWS, FIRST_ROW + DRILL_ROWS + 9),
        );
      }
    });
    const damaged = await summaries(adminUrl, spec);

    const target = await scratchDatabase();
    const restored = await runRestore({
      app,
      bucket: backup.bucket,
      object: taken.object,
      databaseUrl: target,
      storage,
      force: false,
    });
    const after = await summaries(target, spec);
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
    const untouched = (await summaries(empty, spec)).every((t) => t.rows === 0);
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
    for (const name of scratch) {
      await withDatabase(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).catch(() => undefined);
    }
  }
  return probes;
}
