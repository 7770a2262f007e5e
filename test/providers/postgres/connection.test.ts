import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "fs";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cronJobProvider,
  DATABASE_URL_ENV,
  platformTablesProvider,
  redact,
  storageBucketProvider,
  supabaseCompatProvider,
  tableRlsProvider,
  watchChanges,
  withTransaction,
} from "../../../infra/providers/postgres";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../tools/rehearse/embedded-postgres";
import { admin, errorOf } from "./helpers";
import { runFixture } from "../serialized";

let server: ThrowawayPostgres;

beforeAll(async () => {
  server = await startThrowawayPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe("connection handling", () => {
  it("redacts the connection string and its password", () => {
    const url = "postgresql://app:s3cr%40t@db.example:5432/app?sslmode=require";
    expect(redact(`failed on ${url} with s3cr@t and s3cr%40t`, url)).toBe(
      "failed on [redacted] with [redacted] and [redacted]",
    );
    expect(redact("password=hunter2 host=x", "host=x password=hunter2")).toBe("password=[redacted] host=x");
  });

  it("names both ways to give a connection when there is none", async () => {
    const saved = process.env[DATABASE_URL_ENV];
    delete process.env[DATABASE_URL_ENV];
    try {
      expect(await errorOf(withTransaction({}, async () => 1))).toBe(
        `No database connection: set the resource's databaseUrl input (a secret) or ${DATABASE_URL_ENV}`,
      );
    } finally {
      if (saved !== undefined) process.env[DATABASE_URL_ENV] = saved;
    }
  });

  it("reads LAUNCHPAD_DATABASE_URL when the input is absent", async () => {
    process.env[DATABASE_URL_ENV] = server.url;
    try {
      const [row] = await withTransaction({}, (session) => session.query<{ one: number }>("SELECT 1 AS one"));
      expect(row).toEqual({ one: 1 });
    } finally {
      delete process.env[DATABASE_URL_ENV];
    }
  });

  it("never prints the password when the server refuses the login", async () => {
    const wrong = server.url.replace(/:([^:@]+)@/, ":not-the-password-xyz@");
    const error = await errorOf(withTransaction({ databaseUrl: wrong }, async () => 1));
    expect(error).toMatch(/^Cannot connect to the database: password authentication failed/);
    expect(error).not.toContain("not-the-password-xyz");
  });

  it("rolls back every statement of a failed operation", async () => {
    const error = await errorOf(
      withTransaction({ databaseUrl: server.url }, async (session) => {
        await session.change("CREATE TABLE public.half_done (id int)", "step one");
        await session.change("CREATE TABLE public.half_done (id int)", "step two");
      }),
    );
    expect(error).toMatch(/^step two: relation "half_done" already exists\n {2}statement: CREATE TABLE/);
    expect(await admin(server.url, "SELECT to_regclass('public.half_done') AS t")).toEqual([{ t: null }]);
  });

  it("refuses a second statement smuggled into a change", async () => {
    const error = await errorOf(
      withTransaction({ databaseUrl: server.url }, (session) =>
        session.change("SELECT 1; CREATE TABLE public.smuggled (id int)", "smuggling"),
      ),
    );
    expect(error).toMatch(/cannot insert multiple commands into a prepared statement/);
    expect(await admin(server.url, "SELECT to_regclass('public.smuggled') AS t")).toEqual([{ t: null }]);
  });

  it("counts changes, and only while watched", async () => {
    const watch = watchChanges();
    await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
    watch.stop();
    expect(watch.statements.length).toBeGreaterThan(10);
    const again = watchChanges();
    const outs = (
      await supabaseCompatProvider.update!(
        "supabase-compat",
        { storage: true, missing: [] },
        {
          databaseUrl: server.url,
          storage: true,
        },
      )
    ).outs!;
    again.stop();
    expect(again.statements).toEqual([]);
    expect(outs.missing).toEqual([]);
  });
});

describe("Supabase compatibility shim", () => {
  it("reports what plain Postgres lacks and provides it", async () => {
    const bare = await startThrowawayPostgres();
    try {
      const read = await supabaseCompatProvider.read!("supabase-compat", {
        databaseUrl: bare.url,
        storage: true,
        missing: [],
      });
      expect(read.props!.missing).toEqual([
        "role:anon",
        "role:authenticated",
        "role:service_role",
        "function:auth.uid",
        "function:auth.role",
        "function:auth.jwt",
        "grant:anon",
        "grant:authenticated",
        "grant:service_role",
        "storage",
      ]);
      expect(await supabaseCompatProvider.diff!("supabase-compat", read.props!, { storage: true })).toEqual({
        changes: true,
      });
      await supabaseCompatProvider.create({ databaseUrl: bare.url, storage: true });
      expect(
        await admin(
          bare.url,
          "SELECT rolname, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY 1",
        ),
      ).toEqual([
        { rolname: "anon", rolbypassrls: false, rolcanlogin: false },
        { rolname: "authenticated", rolbypassrls: false, rolcanlogin: false },
        { rolname: "service_role", rolbypassrls: true, rolcanlogin: false },
      ]);
      const claims = JSON.stringify({ sub: "00000000-0000-4000-8000-00000000000a", role: "authenticated" });
      expect(
        await admin(
          bare.url,
          "SELECT set_config('request.jwt.claims', $1, false) IS NOT NULL AS set, auth.uid()::text AS uid, auth.role() AS role",
          [claims],
        ),
      ).toEqual([{ set: true, uid: "00000000-0000-4000-8000-00000000000a", role: "authenticated" }]);
    } finally {
      await bare.stop();
    }
  });
  it("refuses a role name clash without changing anything", async () => {
    const bare = await startThrowawayPostgres();
    try {
      await admin(bare.url, "CREATE ROLE anon NOLOGIN BYPASSRLS");
      const error = await errorOf(supabaseCompatProvider.create({ databaseUrl: bare.url, storage: true }));
      expect(error).toMatch(/^Role name clash: anon already exist with other powers/);
      expect(
        await admin(
          bare.url,
          "SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ('authenticated', 'service_role')",
        ),
      ).toEqual([{ n: 0 }]);
      expect(await admin(bare.url, "SELECT to_regnamespace('auth') AS auth")).toEqual([{ auth: null }]);
    } finally {
      await bare.stop();
    }
  });
});

describe("throwaway Postgres", () => {
  it("listens on loopback only and removes its data directory on stop", async () => {
    const other = await startThrowawayPostgres();
    expect(other.url).toMatch(/^postgresql:\/\/postgres:[0-9a-f]{36}@127\.0\.0\.1:\d+\/postgres$/);
    const [row] = await admin<{ dir: string; listen: string }>(
      other.url,
      "SELECT current_setting('data_directory') AS dir, current_setting('listen_addresses') AS listen",
    );
    expect(row.listen).toBe("127.0.0.1");
    await other.stop();
    await other.stop();
    expect(existsSync(row.dir)).toBe(false);
  });
});

describe("provider serialization", () => {
  const providers = {
    tableRlsProvider,
    storageBucketProvider,
    cronJobProvider,
    platformTablesProvider,
    supabaseCompatProvider,
  };

  it("serializes every provider for the Pulumi engine without capturing a credential", async () => {
    process.env[DATABASE_URL_ENV] = server.url;
    try {
      const password = new URL(server.url).password;
      for (const provider of Object.values(providers)) {
        const serialized = await pulumi.runtime.serializeFunction(() => provider);
        expect(serialized.text).toContain("exports.handler");
        expect(serialized.text).not.toContain(password);
        expect(serialized.containsSecrets).toBe(false);
      }
    } finally {
      delete process.env[DATABASE_URL_ENV];
    }
  });

  it("applies through a revived provider under the CommonJS runtime pulumi uses", async () => {
    await admin(server.url, "CREATE TABLE public.notes (id int, owner_id uuid)");
    const stdout = await runFixture(join(__dirname, "fixtures", "serialized-apply.ts"), {
      [DATABASE_URL_ENV]: server.url,
    });
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ missing: [], id: "public.notes", credentialInText: false });
    expect(summary.observed.rlsForced).toBe(true);
    expect(Object.keys(summary.observed.policies)).toHaveLength(4);
    // The revived copies report to the same change watchers as the originals.
    expect(summary.changes).toBeGreaterThan(8);
  });
});
