/**
 * Backup declarations in the catalog: each bad one refused at its key path (Pulumi.yaml,
 * launchpad:apps.<app>.backup…), and the CLI exits 2 naming it before touching anything.
 */
import { spawnSync } from "child_process";
import { describe, expect, it } from "vitest";
import type { ConfigIssue, LayeredConfig } from "../../infra/config";
import { appsOf, configIssues, copyProject, editFile, realConfig } from "../support/config-fixtures";
import { launchpad } from "../rehearse/support";
import { ROOT } from "../workflows/support";
import { backedUpApps } from "./support";

const app = backedUpApps()[0]!;
const name = app.name;
const key = (path: string) => `launchpad:apps.${name}.${path}`;

/** Schema and cross-field issues of the dev stack's catalog after `edit` (secrets aside). */
function issues(edit: (apps: Record<string, Record<string, any>>) => void): ConfigIssue[] {
  const config: LayeredConfig = realConfig("dev");
  edit(appsOf(config));
  return configIssues("dev", config).filter((i) => !i.key.startsWith("launchpad:secrets"));
}

describe("backup declarations", () => {
  it("the shipped ones are valid", () => {
    expect(issues(() => undefined)).toEqual([]);
  });

  it.each([
    [
      "an undeclared table",
      (b: any) => (b.tables = [...b.tables, "nowhere"]),
      "backup.tables[1]",
      /"nowhere" is not declared/,
    ],
    [
      "backup_metadata itself",
      (b: any) => b.tables.push("backup_metadata"),
      "backup.tables[1]",
      /records the backups/,
    ],
    [
      "an undeclared bucket",
      (b: any) => (b.bucket = "elsewhere"),
      "backup.bucket",
      /"elsewhere" is not declared in buckets/,
    ],
    ["no table", (b: any) => (b.tables = []), "backup.tables", /at least 1/],
    ["a table listed twice", (b: any) => b.tables.push(b.tables[0]), "backup.tables", /listed twice/],
    ["a schedule that is not cron", (b: any) => (b.schedule = "daily"), "backup.schedule", /cron/],
    [
      "a cleanup at the backup's own time",
      (b: any) => (b.cleanupSchedule = b.schedule),
      "backup.cleanupSchedule",
      /distinct/,
    ],
    [
      "a cleanup whose UTC line is the backup's in the other season",
      (b: any) => (
        (b.timeZone = "Europe/Paris"),
        (b.schedule = "0 3 * * *"),
        (b.cleanupSchedule = "0 4 * * *")
      ),
      "backup.cleanupSchedule",
      /distinct.*0 2 \* \* \*/,
    ],
    [
      "a schedule that does not shift to UTC",
      (b: any) => (b.schedule = "*/30 * * * *"),
      "backup.schedule",
      /minute and hour must be numbers/,
    ],
    ["a time zone Intl does not know", (b: any) => (b.timeZone = "Europe/Pariss"), "backup.timeZone", /IANA/],
    ["an unknown key", (b: any) => (b.retention = 3), "backup.retention", /./],
  ])("refuse %s at its key path", (_case, edit, path, message) => {
    const found = issues((apps) => {
      const backup = apps[name]!["backup"];
      backup.tables = backup.tables.slice(0, 1);
      edit(backup);
    });
    expect(found.map((i) => [i.file, i.key])).toEqual([["Pulumi.yaml", key(path)]]);
    expect(found[0]!.message).toMatch(message);
  });

  it("refuse a public backup bucket, one that refuses gzip, and a database without backup_metadata", () => {
    const found = issues((apps) => {
      const spec = apps[name]!;
      const bucket = spec["buckets"][spec["backup"].bucket];
      bucket.public = true;
      bucket.allowedMimeTypes = ["application/json"];
      spec["database"].platformTables = spec["database"].platformTables.filter(
        (t: string) => t !== "backup_metadata",
      );
      for (const job of Object.values(spec["jobs"] ?? {}) as any[]) {
        if (job.action.kind.startsWith("snapshot"))
          job.action = { kind: "purge", table: "audit_logs", column: "occurred_at" };
      }
    });
    const bucket = app.spec.backup!.bucket;
    expect(found.map((i) => i.key).sort()).toEqual(
      [key("backup"), key(`buckets.${bucket}.allowedMimeTypes`), key(`buckets.${bucket}.public`)].sort(),
    );
  });

  it("refuse a backup of an app whose database is not Supabase without a Storage project for it", () => {
    const found = issues((apps) => {
      const spec = apps[name]!;
      spec["database"].flavor = "postgres";
      delete spec["buckets"];
    });
    expect(found.map((i) => i.key)).toContain(key("backup.storageUrl"));
    expect(found.find((i) => i.key === key("backup.storageUrl"))!.message).toMatch(/no Storage/);
  });

  it.each([
    ["both tables and schemas", (b: any) => (b.schemas = ["public"]), "backup", /one of the two/],
    ["neither", (b: any) => delete b.tables, "backup", /one of the two/],
    [
      "a system schema",
      (b: any) => ((b.schemas = ["pg_catalog"]), delete b.tables),
      "backup.schemas[0]",
      /platform's/,
    ],
    [
      "Supabase's auth schema",
      (b: any) => ((b.schemas = ["public", "auth"]), delete b.tables),
      "backup.schemas[1]",
      /platform's/,
    ],
    [
      "a storageUrl beside the app's own project",
      (b: any) => (b.storageUrl = "https://elsewhere.supabase.co"),
      "backup.storageUrl",
      /own project/,
    ],
  ])("refuse %s at its key path", (_case, edit, path, message) => {
    const found = issues((apps) => edit(apps[name]!["backup"]));
    expect(found.map((i) => [i.file, i.key])).toEqual([["Pulumi.yaml", key(path)]]);
    expect(found[0]!.message).toMatch(message);
  });

  it("the CLI exits 2 naming the key path, and writes nothing", async () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      `          bucket: ${app.spec.backup!.bucket}\n`,
      "          bucket: elsewhere\n",
    );
    const run = await launchpad(["backup", "--stack", "dev", "--app", name, "--cwd", dir], {
      DATABASE_ADMIN_URL: "postgresql://u:p@127.0.0.1:1/db",
      SUPABASE_SERVICE_ROLE_KEY: "k",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/apps\.[a-z-]+\.backup\.bucket/);
    expect(run.stderr).toContain("Pulumi.yaml");
  });

  it("the CLI and the workflow renderer exit 2 on an unknown time zone, naming file, stack and key path", async () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      `          bucket: ${app.spec.backup!.bucket}\n`,
      `          bucket: ${app.spec.backup!.bucket}\n          timeZone: Europe/Pariss\n`,
    );
    const env = { DATABASE_ADMIN_URL: "postgresql://u:p@127.0.0.1:1/db", SUPABASE_SERVICE_ROLE_KEY: "k" };
    const run = await launchpad(["backup", "--stack", "dev", "--app", name, "--cwd", dir], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Pulumi.yaml");
    expect(run.stderr).toContain("dev");
    expect(run.stderr).toContain(`apps.${name}.backup.timeZone`);
    const render = spawnSync(
      process.execPath,
      ["--import", "tsx", "tools/backup/workflow.ts", "--cwd", dir],
      {
        cwd: ROOT,
        env: { PATH: process.env["PATH"] },
        encoding: "utf8",
      },
    );
    expect(render.status).toBe(2);
    expect(render.stderr).toContain(`apps.${name}.backup.timeZone`);
  });
});
