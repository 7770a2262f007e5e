/**
 * A backup of each app with a declaration, restored into another database: same rows and
 * checksums, recorded in backup_metadata; and what a restore must refuse (a non-empty table
 * without --force, a corrupted or truncated object, a missing manifest), each leaving the target
 * untouched.
 */
import { gunzipSync, gzipSync } from "zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../../tools/backup/backup";
import { tableSummary } from "../../tools/backup/export";
import { manifestNameOf } from "../../tools/backup/format";
import { RestoreRefused, runRestore } from "../../tools/backup/restore";
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

let server: ThrowawayPostgres;
let fake: FakeStorage;
// Backups by schema list their tables at run time: test/backup/schema.test.ts.
const apps = backedUpApps().filter((a) => a.spec.backup!.tables);
let clockAt = Date.UTC(2026, 0, 10, 2, 0, 0);
const clock = () => new Date((clockAt += 1000));

beforeAll(async () => {
  server = await startThrowawayPostgres();
  fake = await startFakeStorage({ serviceKey: serviceKey() });
});
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});

it("the catalog declares backups", () => {
  expect(apps.length).toBeGreaterThan(0);
});

describe.each(apps.map((a) => [a.name, a] as const))("%s", (_name, app) => {
  let source: string;
  let object: string;
  const bucket = app.spec.backup!.bucket;

  beforeAll(async () => {
    source = await createDatabase(server.url, "source");
    await createAppTables(source, app.spec);
    await fillAppTables(source, app.spec, 25);
    if (!fake.store.buckets.has(bucket)) await fakeClient(fake).createBucket(bucket, { public: false });
  });

  it("backs up every declared table and records the backup", async () => {
    const before = await Promise.all(app.tables.map((t) => tableSummary(source, t)));
    const result = await runBackup(
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
    object = result.object;
    expect(result.manifest.tables).toEqual(before);
    expect(fake.store.objects.get(bucket)!.has(object)).toBe(true);
    const manifest = JSON.parse(fake.store.read(bucket, manifestNameOf(object))!.toString()) as {
      sha256: string;
    };
    expect(manifest.sha256).toBe(result.manifest.sha256);
    const [row] = await sql<{
      status: string;
      location: string;
      checksum: string;
      size_bytes: string;
      details: { rows: Record<string, number> };
    }>(source, "SELECT status, location, checksum, size_bytes, details FROM backup_metadata WHERE id = $1", [
      result.metadataId,
    ]);
    expect(row).toMatchObject({
      status: "succeeded",
      location: `${bucket}/${object}`,
      checksum: `sha256:${result.manifest.sha256}`,
    });
    expect(Number(row!.size_bytes)).toBe(fake.store.read(bucket, object)!.length);
    expect(row!.details.rows).toEqual(Object.fromEntries(before.map((t) => [t.table, t.rows])));
  });

  it("restores into an empty database with the same rows and checksums", async () => {
    const target = await createDatabase(server.url, "target");
    await createAppTables(target, app.spec);
    const result = await runRestore({
      app: app.name,
      bucket,
      object,
      databaseUrl: target,
      storage: fakeClient(fake),
      force: false,
      batchRows: 7,
    });
    const after = await Promise.all(app.tables.map((t) => tableSummary(target, t)));
    expect(after).toEqual(result.manifest.tables);
    expect(result.tables.map((t) => t.rows)).toEqual(after.map((t) => t.rows));
    expect(after.every((t) => t.rows === 25)).toBe(true);
  });

  it("refuses a non-empty table without force, and replaces its rows with force", async () => {
    // The source itself: altered and partly deleted since the backup.
    const first = app.tables[0]!;
    await sql(
      source,
      `DELETE FROM public.${first.table} WHERE ctid IN (SELECT ctid FROM public.${first.table} LIMIT 5)`,
    );
    const altered = await Promise.all(app.tables.map((t) => tableSummary(source, t)));
    const attempt = runRestore({
      app: app.name,
      bucket,
      object,
      databaseUrl: source,
      storage: fakeClient(fake),
      force: false,
    });
    await expect(attempt).rejects.toThrow(/is not empty; pass --force/);
    expect(await Promise.all(app.tables.map((t) => tableSummary(source, t)))).toEqual(altered);
    const forced = await runRestore({
      app: app.name,
      bucket,
      object,
      databaseUrl: source,
      storage: fakeClient(fake),
      force: true,
    });
    expect(await Promise.all(app.tables.map((t) => tableSummary(source, t)))).toEqual(forced.manifest.tables);
  });

  it("refuses a corrupted object before writing anything", async () => {
    const target = await createDatabase(server.url, "corrupt");
    await createAppTables(target, app.spec);
    const original = fake.store.read(bucket, object)!;
    const damaged = Buffer.from(original);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    fake.store.overwrite(bucket, object, damaged);
    try {
      await expect(
        runRestore({
          app: app.name,
          bucket,
          object,
          databaseUrl: target,
          storage: fakeClient(fake),
          force: false,
        }),
      ).rejects.toThrow(/SHA-256 .* where the manifest says .*nothing was written/);
      // Truncated: fewer bytes than the manifest's size.
      fake.store.overwrite(bucket, object, original.subarray(0, original.length - 40));
      await expect(
        runRestore({
          app: app.name,
          bucket,
          object,
          databaseUrl: target,
          storage: fakeClient(fake),
          force: false,
        }),
      ).rejects.toThrow(/truncated or altered/);
      const counts = await Promise.all(app.tables.map((t) => tableSummary(target, t)));
      expect(counts.every((t) => t.rows === 0)).toBe(true);
    } finally {
      fake.store.overwrite(bucket, object, original);
    }
  });
});

describe("a backup whose manifest and object were both rewritten", () => {
  it("is still refused row by row, and rolls back what it had inserted", async () => {
    const app = apps[0]!;
    const bucket = app.spec.backup!.bucket;
    const source = await createDatabase(server.url, "forged");
    await createAppTables(source, app.spec);
    await fillAppTables(source, app.spec, 10);
    const { object, manifest } = await runBackup(
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
    // An attacker with write access to the bucket drops a row and fixes up the manifest's checksum.
    const lines = gunzipSync(fake.store.read(bucket, object)!).toString().split("\n");
    const firstRow = lines.findIndex((l) => l.startsWith("{"));
    lines.splice(firstRow, 1);
    const forged = gzipSync(lines.join("\n"));
    fake.store.overwrite(bucket, object, forged);
    const { createHash } = await import("crypto");
    const forgedManifest = {
      ...manifest,
      sha256: createHash("sha256").update(forged).digest("hex"),
      sizeBytes: forged.length,
    };
    fake.store.overwrite(bucket, manifestNameOf(object), Buffer.from(JSON.stringify(forgedManifest)));
    const target = await createDatabase(server.url, "forgedtarget");
    await createAppTables(target, app.spec);
    const attempt = runRestore({
      app: app.name,
      bucket,
      object,
      databaseUrl: target,
      storage: fakeClient(fake),
      force: false,
      batchRows: 2,
    });
    await expect(attempt).rejects.toBeInstanceOf(RestoreRefused);
    await expect(attempt).rejects.toThrow(/do not match the backup's/);
    const counts = await Promise.all(app.tables.map((t) => tableSummary(target, t)));
    expect(counts.every((t) => t.rows === 0)).toBe(true);
  });

  it("without a manifest, is refused", async () => {
    const app = apps[0]!;
    const attempt = runRestore({
      app: app.name,
      bucket: app.spec.backup!.bucket,
      object: "dev/nothing/20260101T000000Z.ndjson.gz",
      databaseUrl: server.url,
      storage: fakeClient(fake),
      force: false,
    });
    await expect(attempt).rejects.toThrow(/no manifest/);
  });
});

describe("rows of multi-byte text", () => {
  it("come back byte for byte, whatever the chunk boundaries of the compressed stream", async () => {
    const app = apps.find((a) =>
      a.tables.some((t) => Object.values(a.spec.database!.tables[t.table]?.columns ?? {}).includes("text")),
    )!;
    const table = app.tables.find((t) =>
      Object.values(app.spec.database!.tables[t.table]?.columns ?? {}).includes("text"),
    )!;
    const column = Object.entries(app.spec.database!.tables[table.table]!.columns).find(
      ([, type]) => type === "text",
    )![0];
    const bucket = app.spec.backup!.bucket;
    const source = await createDatabase(server.url, "utf8");
    await createAppTables(source, app.spec);
    await fillAppTables(source, app.spec, 400);
    await sql(
      source,
      `UPDATE public.${table.table} SET ${column} = repeat('é€😀 ', 500 + length(${column}))`,
    );
    const { object, manifest } = await runBackup(
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
    const target = await createDatabase(server.url, "utf8target");
    await createAppTables(target, app.spec);
    await runRestore({
      app: app.name,
      bucket,
      object,
      databaseUrl: target,
      storage: fakeClient(fake),
      force: false,
    });
    expect(await Promise.all(app.tables.map((t) => tableSummary(target, t)))).toEqual(manifest.tables);
  });
});
