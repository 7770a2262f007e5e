import { describe, expect, it } from "vitest";
import {
  storageBucketDifferences,
  storageBucketProvider,
  watchChanges,
  type StorageBucketInputs,
  type StorageBucketOutputs,
} from "../../../infra/providers/postgres";
import { startThrowawayPostgres } from "../../../tools/rehearse/embedded-postgres";
import { admin, asRole, errorOf, USER_A, USER_B, useServer } from "./helpers";

const db = useServer({ standInTables: false });

const backups = (): StorageBucketInputs => ({
  databaseUrl: db.url,
  id: "backups",
  fileSizeLimit: 50 * 1024 * 1024,
});
const avatars = (): StorageBucketInputs => ({
  databaseUrl: db.url,
  id: "avatars",
  allowedMimeTypes: ["image/png", "image/jpeg"],
  access: [
    { roles: ["authenticated"], commands: ["select"] },
    { roles: ["authenticated"], commands: ["insert", "update", "delete"], ownObjectsOnly: true },
  ],
});

describe("StorageBucket lifecycle", () => {
  let backupsOuts: StorageBucketOutputs;
  let avatarsOuts: StorageBucketOutputs;

  it("creates a private bucket row and its object policies", async () => {
    backupsOuts = (await storageBucketProvider.create(backups())).outs!;
    avatarsOuts = (await storageBucketProvider.create(avatars())).outs!;
    expect(
      await admin(
        db.url,
        "SELECT id, public, file_size_limit::int AS limit, allowed_mime_types FROM storage.buckets ORDER BY id",
      ),
    ).toEqual([
      { id: "avatars", public: false, limit: null, allowed_mime_types: ["image/png", "image/jpeg"] },
      { id: "backups", public: false, limit: 52428800, allowed_mime_types: null },
    ]);
    expect(Object.keys(avatarsOuts.observed.objects.policies).sort()).toEqual([
      "avatars:delete:authenticated:own",
      "avatars:insert:authenticated:own",
      "avatars:select:authenticated",
      "avatars:update:authenticated:own",
    ]);
    expect(backupsOuts.observed.objects.policies).toEqual({});
    expect(storageBucketDifferences(backupsOuts.observed, backups())).toEqual([]);
  });

  it("keeps objects of a private bucket away from anon and authenticated, and scopes own objects", async () => {
    await admin(
      db.url,
      `INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES
         ('backups', 'db-2026-11-20.dump', NULL),
         ('avatars', 'a.png', '${USER_A}'), ('avatars', 'b.png', '${USER_B}')`,
    );
    await asRole(db.url, "anon", undefined, async (q) => {
      expect(await q("SELECT name FROM storage.objects")).toEqual([]);
    });
    await asRole(db.url, "authenticated", USER_A, async (q) => {
      expect(await q("SELECT name FROM storage.objects ORDER BY name")).toEqual([
        { name: "a.png" },
        { name: "b.png" },
      ]);
      expect(await q("DELETE FROM storage.objects WHERE name = 'b.png' RETURNING name")).toEqual([]);
      expect(
        await errorOf(
          q("INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES ('backups', 'x', $1)", [USER_A]),
        ),
      ).toMatch(/row-level security/);
      expect(
        await errorOf(
          q("INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES ('avatars', 'c.png', $1)", [
            USER_B,
          ]),
        ),
      ).toMatch(/row-level security/);
      expect(await q("DELETE FROM storage.objects WHERE name = 'a.png' RETURNING name")).toEqual([
        { name: "a.png" },
      ]);
    });
    await asRole(db.url, "service_role", undefined, async (q) => {
      expect(await q("SELECT count(*)::int AS n FROM storage.objects")).toEqual([{ n: 3 }]);
    });
  });

  it("detects a bucket made public and a dropped policy, and repairs both; a re-apply issues nothing", async () => {
    await admin(
      db.url,
      `UPDATE storage.buckets SET public = true WHERE id = 'avatars';
       DROP POLICY "avatars:select:authenticated" ON storage.objects;`,
    );
    const read = await storageBucketProvider.read!("avatars", avatarsOuts);
    expect(storageBucketDifferences(read.props!.observed, avatars())).toEqual([
      expect.stringMatching(/^bucket avatars: settings differ/),
      'storage.objects: policy "avatars:select:authenticated" is missing',
    ]);
    expect(await storageBucketProvider.diff!("avatars", read.props!, avatars())).toEqual({ changes: true });
    avatarsOuts = (await storageBucketProvider.update!("avatars", read.props!, avatars())).outs!;
    expect(storageBucketDifferences(avatarsOuts.observed, avatars())).toEqual([]);
    expect(await admin(db.url, "SELECT public FROM storage.buckets WHERE id = 'avatars'")).toEqual([
      { public: false },
    ]);

    const watch = watchChanges();
    await storageBucketProvider.update!("avatars", avatarsOuts, avatars());
    await storageBucketProvider.update!("backups", backupsOuts, backups());
    watch.stop();
    expect(watch.statements).toEqual([]);
    expect(await storageBucketProvider.diff!("avatars", avatarsOuts, avatars())).toEqual({ changes: false });
  });

  it("replaces on an id change and refuses to delete a bucket that still holds objects", async () => {
    expect(
      await storageBucketProvider.diff!("backups", backupsOuts, { ...backups(), id: "archives" }),
    ).toMatchObject({
      replaces: ["id"],
    });
    expect(await errorOf(storageBucketProvider.delete!("backups", backupsOuts))).toBe(
      "bucket backups still holds 1 objects: empty it before deleting the bucket",
    );
    expect(await admin(db.url, "SELECT id FROM storage.buckets WHERE id = 'backups'")).toEqual([
      { id: "backups" },
    ]);
    await admin(db.url, "DELETE FROM storage.objects");
    await storageBucketProvider.delete!("avatars", avatarsOuts);
    expect(await admin(db.url, "SELECT id FROM storage.buckets ORDER BY id")).toEqual([{ id: "backups" }]);
    expect(await admin(db.url, "SELECT policyname FROM pg_policies WHERE schemaname = 'storage'")).toEqual(
      [],
    );
    expect(await storageBucketProvider.read!("avatars", avatarsOuts)).toEqual({});
  });

  it("rejects bad specs in check", async () => {
    const result = await storageBucketProvider.check!(backups(), {
      ...backups(),
      id: "bad id",
      fileSizeLimit: 0,
    });
    expect(result.failures?.map((f) => f.property)).toEqual(["id", "access"]);
    expect(result.failures?.[0].reason).toMatch(/Invalid bucket id "bad id"/);
  });
});

describe("StorageBucket on plain Postgres without the storage shim", () => {
  it("says Storage is missing and how to get it", async () => {
    const bare = await startThrowawayPostgres();
    try {
      const error = await errorOf(storageBucketProvider.create({ databaseUrl: bare.url, id: "backups" }));
      expect(error).toMatch(/no Supabase Storage schema.*declare SupabaseCompat with storage: true/s);
    } finally {
      await bare.stop();
    }
  });
});
