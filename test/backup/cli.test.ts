/**
 * `launchpad backup` and `launchpad restore` as an operator runs them: credentials from the
 * environment, never printed; bad usage and missing credentials exit 2 naming what is missing;
 * a backup, a restore that prints its row counts, a refused overwrite, a forced one, a cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, readLayeredConfig, validatePlatform } from "../../infra/config";
import { startFakeStorage, STORAGE_ROOT, type FakeStorage } from "../../tools/fakes/supabase-storage";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { launchpad, type Run } from "../rehearse/support";
import {
  backedUpApps,
  createAppTables,
  createDatabase,
  fakeClient,
  fillAppTables,
  serviceKey,
} from "./support";

const app = backedUpApps()[0]!;
const bucket = app.spec.backup!.bucket;
const platform = validatePlatform("dev", readLayeredConfig("dev", PROJECT_DIR));
const notBackedUp = Object.keys(platform.apps).find((name) => !platform.apps[name]!.backup);
let server: ThrowawayPostgres;
let fake: FakeStorage;
let source: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  fake = await startFakeStorage({ serviceKey: serviceKey() });
  await fakeClient(fake).createBucket(bucket, { public: false });
  source = await createDatabase(server.url, "cli");
  await createAppTables(source, app.spec);
  await fillAppTables(source, app.spec, 12);
  env = {
    [app.spec.database!.adminUrlSecret]: source,
    SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey,
    SUPABASE_STORAGE_BASE_URL: `${fake.url}${STORAGE_ROOT}`,
    SUPABASE_STORAGE_RETRY_BASE_MS: "1",
  };
});
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});

function expectNoSecret(run: Run) {
  const password = new URL(source).password;
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(fake.serviceKey);
    expect(text).not.toContain(password);
  }
}

describe("usage and credentials", () => {
  it.each([
    [["backup", "--stack", "dev"], /--app is required/],
    [["backup", "--stack", "staging", "--app", "x"], /--stack: expected one of dev, qa, prod/],
    [["backup", "--stack", "dev", "--app", "no-such-app"], /declares no app "no-such-app"/],
    [["restore", "--stack", "dev", "--app", "x"], /--from is required/],
    [
      ["restore", "--stack", "dev", "--app", "x", "--from", "o", "--checksum", "abc"],
      /--checksum: expected a hex SHA-256/,
    ],
  ])("%j exits 2", async (args, message) => {
    const run = await launchpad(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("an app without a backup declaration exits 2 naming the key", async () => {
    const run = await launchpad(["backup", "--stack", "dev", "--app", notBackedUp!]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`apps.${notBackedUp}.backup`);
  });

  it("a missing database URL or service key exits 2 naming the variable, recording nothing", async () => {
    const noUrl = await launchpad(["backup", "--stack", "dev", "--app", app.name], {
      ...env,
      [app.spec.database!.adminUrlSecret]: "",
    });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain(`export ${app.spec.database!.adminUrlSecret}`);
    const noKey = await launchpad(["backup", "--stack", "dev", "--app", app.name], {
      ...env,
      SUPABASE_SERVICE_ROLE_KEY: "",
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("SUPABASE_SERVICE_ROLE_KEY is not set");
    const weak = await launchpad(
      ["backup", "--stack", "dev", "--app", app.name, "--database-url", `${source}?sslmode=disable`],
      env,
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/--database-url: sslmode=disable does not require TLS.*\(value not shown\)/);
    for (const run of [noUrl, noKey, weak]) expectNoSecret(run);
    expect(fake.requests.filter((r) => r.path.startsWith("/object"))).toEqual([]);
  });
});

describe("a backup, restored", () => {
  let object: string;

  it("backup prints the object, its checksum and row counts, and no secret", async () => {
    const run = await launchpad(["backup", "--stack", "dev", "--app", app.name], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    object = new RegExp(`: ${bucket}/(\\S+\\.ndjson\\.gz)\\n`).exec(run.stdout)![1]!;
    expect(run.stdout).toMatch(/sha256:[0-9a-f]{64}/);
    for (const table of app.tables) expect(run.stdout).toContain(`${table.table} 12`);
    expectNoSecret(run);
  });

  it("restore prints the rows per table; again it refuses, with --force it replaces", async () => {
    const target = await createDatabase(server.url, "clitarget");
    await createAppTables(target, app.spec);
    const args = ["restore", "--stack", "dev", "--app", app.name, "--from", `${bucket}/${object}`];
    const restoreEnv = { ...env, LAUNCHPAD_RESTORE_DATABASE_URL: target };
    const first = await launchpad(args, restoreEnv);
    expect(first.code).toBe(0);
    for (const table of app.tables) expect(first.stdout).toContain(`  ${table.table}: 12 rows`);
    const again = await launchpad(args, restoreEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty; pass --force/);
    const forced = await launchpad([...args, "--force"], restoreEnv);
    expect(forced.code).toBe(0);
    for (const run of [first, again, forced]) expectNoSecret(run);
  });

  it("cleanup reports what it deleted and keeps the newest backup", async () => {
    const run = await launchpad(["backup", "--stack", "dev", "--app", app.name, "--cleanup"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 objects and 0 backup_metadata rows deleted; newest successful backup kept/);
  });
});
