/**
 * The weekly cleanup, on a clock the test sets: backups older than the environment's retention go
 * (objects, manifests and rows, failed ones too, and objects no row names), newer ones stay, and
 * the newest successful backup stays whatever its age.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_DIR, readLayeredConfig, validatePlatform } from "../../infra/config";
import { runBackup } from "../../tools/backup/backup";
import { runCleanup } from "../../tools/backup/cleanup";
import { backupPrefix, manifestNameOf, objectNameOf } from "../../tools/backup/format";
import { startFakeStorage, type FakeStorage } from "../../tools/fakes/supabase-storage";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import {
  backedUpApps,
  createAppTables,
  createDatabase,
  fakeClient,
  fillAppTables,
  serviceKey,
  sql,
} from "./support";

const STACK = "dev";
const app = backedUpApps(STACK)[0]!;
const bucket = app.spec.backup!.bucket;
const retentionDays = validatePlatform(STACK, readLayeredConfig(STACK, PROJECT_DIR)).environment
  .backupRetentionDays;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 14, 3, 0, 0);
let server: ThrowawayPostgres;
let fake: FakeStorage;
let source: string;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  fake = await startFakeStorage({ serviceKey: serviceKey() });
  await fakeClient(fake).createBucket(bucket, { public: false });
});
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});
beforeEach(async () => {
  source = await createDatabase(server.url, "cleanup");
  await createAppTables(source, app.spec);
  await fillAppTables(source, app.spec, 3);
  for (const name of [...fake.store.objects.get(bucket)!.keys()]) fake.store.remove(bucket, name);
});

/** A backup taken `daysAgo` days before NOW. */
async function backupAt(daysAgo: number): Promise<string> {
  const at = new Date(NOW - daysAgo * DAY);
  const result = await runBackup(
    {
      stack: STACK,
      app: app.name,
      bucket,
      tables: app.tables,
      databaseUrl: source,
      storage: fakeClient(fake),
    },
    () => at,
  );
  return result.object;
}

async function failedAt(daysAgo: number): Promise<void> {
  fake.failures.push({ method: "POST", status: 500, times: 10 });
  await backupAt(daysAgo).catch(() => undefined);
  fake.failures.length = 0;
}

function cleanup() {
  return runCleanup(
    { stack: STACK, app: app.name, bucket, databaseUrl: source, storage: fakeClient(fake), retentionDays },
    new Date(NOW),
  );
}

const objects = () => [...fake.store.objects.get(bucket)!.keys()].sort();
const rows = () =>
  sql<{ location: string; status: string }>(
    source,
    "SELECT location, status FROM backup_metadata ORDER BY started_at",
  );

describe(`with the ${STACK} stack's retention`, () => {
  it("deletes what is past it, objects and rows, and keeps the rest", async () => {
    const old = await backupAt(retentionDays + 10);
    const justOld = await backupAt(retentionDays + 1);
    await failedAt(retentionDays + 2);
    const recent = await backupAt(retentionDays - 1);
    const newest = await backupAt(0);
    // Left by a crash between upload and record: no row names it.
    const orphan = objectNameOf(STACK, app.name, new Date(NOW - (retentionDays + 3) * DAY));
    await fakeClient(fake).upload(bucket, orphan, {
      contentType: "application/gzip",
      open: () => Buffer.from("x"),
    });

    const result = await cleanup();
    expect(objects()).toEqual([recent, manifestNameOf(recent), newest, manifestNameOf(newest)].sort());
    expect((await rows()).map((r) => r.location)).toEqual([`${bucket}/${recent}`, `${bucket}/${newest}`]);
    expect(result.deletedRows).toBe(3);
    expect(result.deletedObjects).toEqual(
      expect.arrayContaining([old, manifestNameOf(old), justOld, orphan]),
    );
  });

  it("never deletes the newest successful backup, however old", async () => {
    const older = await backupAt(retentionDays + 30);
    const newestSuccess = await backupAt(retentionDays + 20);
    await failedAt(retentionDays + 5);
    const result = await cleanup();
    expect(result.kept).toBe(newestSuccess);
    expect(objects()).toEqual([newestSuccess, manifestNameOf(newestSuccess)].sort());
    expect(await rows()).toEqual([{ location: `${bucket}/${newestSuccess}`, status: "succeeded" }]);
    expect(objects()).not.toContain(older);
  });

  it("leaves other apps' and stacks' backups alone", async () => {
    const elsewhere = `${backupPrefix("prod", app.name)}/20200101T000000Z.ndjson.gz`;
    await fakeClient(fake).upload(bucket, elsewhere, {
      contentType: "application/gzip",
      open: () => Buffer.from("x"),
    });
    await backupAt(0);
    await cleanup();
    expect(objects()).toContain(elsewhere);
  });
});
