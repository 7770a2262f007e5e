/**
 * Storage misbehaving under a backup: rate limits, server errors and a connection cut mid-upload
 * are retried into a whole backup; when they persist, the backup is recorded as failed and nothing
 * of it stays visible in the bucket. The service key never appears in what a failure reports.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BackupFailed, runBackup } from "../../tools/backup/backup";
import { backupPrefix } from "../../tools/backup/format";
import { runRestore } from "../../tools/backup/restore";
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

const app = backedUpApps()[0]!;
const bucket = app.spec.backup!.bucket;
let server: ThrowawayPostgres;
let fake: FakeStorage;
let source: string;
let clockAt = Date.UTC(2026, 2, 1, 2, 0, 0);
const clock = () => new Date((clockAt += 60_000));

beforeAll(async () => {
  server = await startThrowawayPostgres();
  fake = await startFakeStorage({ serviceKey: serviceKey() });
  await fakeClient(fake).createBucket(bucket, { public: false });
  source = await createDatabase(server.url, "faults");
  await createAppTables(source, app.spec);
  // Enough rows for an object of several chunks, so a cut lands mid-body.
  await fillAppTables(source, app.spec, 3000);
});
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});
beforeEach(() => {
  fake.failures.length = 0;
  fake.requests.length = 0;
});

const UPLOAD = /^\/object\/[^/]+\/.+\.ndjson\.gz$/;
const MANIFEST = /\.manifest\.json$/;

function backup() {
  return runBackup(
    {
      stack: "dev",
      app: app.name,
      bucket,
      tables: app.tables,
      databaseUrl: source,
      storage: fakeClient(fake),
    },
    clock,
  );
}

function visibleObjects(): string[] {
  return [...fake.store.objects.get(bucket)!.keys()].filter((n) =>
    n.startsWith(backupPrefix("dev", app.name)),
  );
}

async function statusOf(id: string) {
  const [row] = await sql<{ status: string; details: { error?: string }; checksum: string | null }>(
    source,
    "SELECT status, details, checksum FROM backup_metadata WHERE id = $1",
    [id],
  );
  return row!;
}

async function lastRow() {
  const [row] = await sql<{ id: string }>(
    source,
    "SELECT id::text FROM backup_metadata ORDER BY id DESC LIMIT 1",
  );
  return statusOf(row!.id);
}

async function restorable(object: string) {
  const target = await createDatabase(server.url, "check");
  await createAppTables(target, app.spec);
  return runRestore({
    app: app.name,
    bucket,
    object,
    databaseUrl: target,
    storage: fakeClient(fake),
    force: false,
  });
}

describe("retried into a whole backup", () => {
  it("after a 429 with Retry-After", async () => {
    fake.failures.push({ method: "POST", path: UPLOAD, status: 429, retryAfter: "0" });
    const result = await backup();
    expect(fake.requests.filter((r) => UPLOAD.test(r.path)).map((r) => r.status)).toEqual([429, 200]);
    expect((await statusOf(result.metadataId)).status).toBe("succeeded");
    expect((await restorable(result.object)).tables.map((t) => t.rows)).toEqual(
      result.manifest.tables.map((t) => t.rows),
    );
  });

  it("after two 503s", async () => {
    fake.failures.push({ method: "POST", path: UPLOAD, status: 503, times: 2 });
    const result = await backup();
    expect(fake.requests.filter((r) => UPLOAD.test(r.path)).map((r) => r.status)).toEqual([503, 503, 200]);
    expect((await statusOf(result.metadataId)).status).toBe("succeeded");
  });

  it("after a connection cut mid-upload, the retry sends the whole object again", async () => {
    fake.failures.push({ method: "POST", path: UPLOAD, cutAfterBytes: 20_000 });
    const result = await backup();
    expect(fake.requests.filter((r) => UPLOAD.test(r.path)).map((r) => r.status)).toEqual([0, 200]);
    expect(result.manifest.sizeBytes).toBeGreaterThan(20_000);
    expect(fake.store.read(bucket, result.object)!.length).toBe(result.manifest.sizeBytes);
    // The object restores whole: every table with the rows and checksum the backup recorded.
    expect((await restorable(result.object)).tables).toEqual(result.manifest.tables);
  });
});

describe("recorded as failed, nothing half-visible", () => {
  it("when every upload attempt is cut", async () => {
    const before = visibleObjects();
    fake.failures.push({ method: "POST", path: UPLOAD, cutAfterBytes: 20_000, times: 10 });
    await expect(backup()).rejects.toBeInstanceOf(BackupFailed);
    expect(visibleObjects()).toEqual(before);
    const row = await lastRow();
    expect(row.status).toBe("failed");
    expect(row.checksum).toBeNull();
    expect(row.details.error).toMatch(/^upload failed/);
  });

  it("when Storage keeps answering 500", async () => {
    const before = visibleObjects();
    fake.failures.push({ method: "POST", path: UPLOAD, status: 500, times: 10 });
    await expect(backup()).rejects.toThrow(/upload failed: .*HTTP 500/);
    expect(visibleObjects()).toEqual(before);
    expect((await lastRow()).status).toBe("failed");
  });

  it("when the manifest cannot be written, the uploaded object is removed", async () => {
    const before = visibleObjects();
    fake.failures.push({ method: "POST", path: MANIFEST, status: 503, times: 10 });
    await expect(backup()).rejects.toThrow(/manifest upload failed/);
    expect(fake.requests.some((r) => UPLOAD.test(r.path) && r.status === 200)).toBe(true);
    expect(visibleObjects()).toEqual(before);
    expect((await lastRow()).status).toBe("failed");
  });

  it("when the export itself fails (a declared table is missing), with no upload at all", async () => {
    const broken = await createDatabase(server.url, "broken");
    await createAppTables(broken, app.spec);
    await sql(broken, `DROP TABLE public.${app.tables[0]!.table}`);
    const attempt = runBackup(
      {
        stack: "dev",
        app: app.name,
        bucket,
        tables: app.tables,
        databaseUrl: broken,
        storage: fakeClient(fake),
      },
      clock,
    );
    await expect(attempt).rejects.toThrow(/export failed: .*does not exist/);
    expect(fake.requests.filter((r) => r.method === "POST" && UPLOAD.test(r.path))).toEqual([]);
    const [row] = await sql<{ status: string }>(broken, "SELECT status FROM backup_metadata");
    expect(row!.status).toBe("failed");
  });
});

describe("the service key", () => {
  it("never appears in a failure, even when Storage echoes it back", async () => {
    fake.failures.push({
      method: "POST",
      path: UPLOAD,
      status: 400,
      message: `bad token ${fake.serviceKey}`,
    });
    const error = await backup().then(
      () => new Error("the backup succeeded"),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(BackupFailed);
    expect(error.message).toContain("bad token [redacted]");
    expect(error.message).not.toContain(fake.serviceKey);
    const row = await lastRow();
    expect(JSON.stringify(row)).not.toContain(fake.serviceKey);
  });

  it("is refused by Storage when wrong, and the wrong one is not echoed either", async () => {
    const wrong = serviceKey();
    const error = await fakeClient(fake, { SUPABASE_SERVICE_ROLE_KEY: wrong })
      .list(bucket, "dev")
      .then(
        () => new Error("the listing succeeded"),
        (e: unknown) => e as Error,
      );
    expect(error.message).toMatch(/HTTP 401|HTTP 403/);
    expect(error.message).not.toContain(wrong);
  });
});
