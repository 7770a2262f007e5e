import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLE_KEYS } from "../../infra/components/database-plan";
import { catalogApps } from "../support/catalog";
import { copyProject, editFile } from "../support/config-fixtures";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

function launchpad(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Positions of each fragment in the text; -1 where missing. */
function positions(text: string, fragments: string[]): number[] {
  return fragments.map((f) => text.indexOf(f));
}

/** The apps of the dev stack that declare a database. */
const withDatabase = Object.entries(catalogApps("dev"))
  .filter(([, spec]) => spec.database)
  .map(([app]) => app);

describe("launchpad sql", () => {
  const dev = launchpad(["sql", "--stack", "dev"]);

  it("prints the layer of every app with a database, each resource named with its type and role", () => {
    expect(dev.code).toBe(0);
    expect(dev.stderr).toBe("");
    expect(withDatabase.length).toBeGreaterThan(0);
    for (const app of withDatabase) {
      expect(dev.stdout).toContain(`-- launchpad sql: stack dev, app ${app},`);
    }
    expect(dev.stdout).toMatch(
      /^-- \[\d+\] submissions-database-rls-soumissions-disponibilites {2}pulumi-nodejs:dynamic\/postgres:TableRowLevelSecurity {2}\(as submissions_dev_migrator\)$/m,
    );
  });

  it("redacts every password", () => {
    const passwords = dev.stdout.match(/PASSWORD '[^']*'/g) ?? [];
    // A login role per role key, per app with a database.
    expect(passwords).toHaveLength(ROLE_KEYS.length * withDatabase.length);
    expect(new Set(passwords)).toEqual(new Set(["PASSWORD '[redacted]'"]));
  });

  it("lists the submissions layer in apply order: roles, grants, RLS, platform tables, bucket, pg_cron jobs", () => {
    const { code, stdout } = launchpad(["sql", "--stack", "dev", "--app", "submissions"]);
    expect(code).toBe(0);
    const order = positions(stdout, [
      'CREATE ROLE "submissions_dev_migrator" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 5',
      'CREATE ROLE "submissions_dev_runtime" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20',
      'ALTER ROLE "submissions_dev_runtime" SET statement_timeout TO 15000;',
      "GRANT CONNECT ON DATABASE %I TO PUBLIC",
      'ALTER TABLE "public"."soumissions_disponibilites" ENABLE ROW LEVEL SECURITY;',
      'ALTER TABLE "public"."soumissions_disponibilites" FORCE ROW LEVEL SECURITY;',
      'CREATE TABLE IF NOT EXISTS "public"."audit_logs"',
      'CREATE TRIGGER "launchpad_audit" AFTER INSERT OR UPDATE OR DELETE ON "public"."soumissions_disponibilites"',
      // Grants name the declared tables, once the platform tables exist.
      'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "public"."soumissions_disponibilites", "public"."audit_logs", "public"."backup_metadata" TO "submissions_dev_runtime";',
      "INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types) VALUES ('backups', 'backups', false, 524288000,",
      'CREATE EXTENSION IF NOT EXISTS "pg_cron";',
      "SELECT cron.schedule('submissions-dev-daily-backup', '0 2 * * *',",
      "SELECT cron.schedule('submissions-dev-weekly-cleanup', '0 3 * * 0',",
      "SELECT cron.schedule('submissions-dev-purge-audit-logs', '30 3 * * *', 'DELETE FROM \"public\".\"audit_logs\" WHERE \"occurred_at\" < now() - interval ''14 days''');",
    ]);
    expect(order.every((p) => p >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stdout).not.toContain("qa_reports");
    expect(stdout).toContain("-- drops snapshots older than 7 days");
  });

  it("writes the policies the way Supabase recommends, never to PUBLIC", () => {
    const { stdout } = launchpad(["sql", "--stack", "prod", "--app", "workspace-analytics"]);
    expect(stdout).toContain(
      'CREATE POLICY "custom_kpis_tenant_update" ON "public"."custom_kpis" AS PERMISSIVE FOR UPDATE TO "authenticated" ' +
        'USING ("workspace_id" in (select m."workspace_id" from "public"."user_roles" m where m."user_id" = (select auth.uid()))) ' +
        'WITH CHECK ("workspace_id" in (select m."workspace_id" from "public"."user_roles" m where m."user_id" = (select auth.uid())));',
    );
    // PUBLIC appears only where privileges are taken from it.
    expect(stdout).not.toMatch(/CREATE POLICY[^;]* TO "?public"?[ ;,]/i);
    expect(stdout.match(/TO PUBLIC/gi)).toEqual(["TO PUBLIC"]);
    expect(stdout).toContain("GRANT CONNECT ON DATABASE %I TO PUBLIC");
    expect(stdout).toContain("interval ''90 days''");
  });

  it("creates the Supabase-equivalent roles first on plain Postgres", () => {
    const { stdout } = launchpad(["sql", "--stack", "dev", "--app", "mapquiz"]);
    const [anon, serviceRole, migrator] = positions(stdout, [
      'CREATE ROLE "anon" NOLOGIN NOINHERIT',
      'CREATE ROLE "service_role" NOLOGIN NOINHERIT BYPASSRLS',
      'CREATE ROLE "mapquiz_dev_migrator"',
    ]);
    expect(anon).toBeGreaterThan(0);
    expect(serviceRole).toBeGreaterThan(anon!);
    expect(migrator).toBeGreaterThan(serviceRole!);
  });

  it("exits 2 on usage errors, pointing at the usage", () => {
    for (const args of [
      ["sql"],
      ["sql", "--stack", "staging"],
      ["sql", "--stack", "dev", "--app", "nope"],
      ["sql", "--stack", "dev", "--verbose"],
    ]) {
      const { code, stdout, stderr } = launchpad(args);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("Run `launchpad sql --help` for usage.");
    }
    expect(launchpad(["sql", "--stack", "dev", "--app", "nope"]).stderr).toContain(
      'launchpad sql: --app: the catalog declares no app "nope"',
    );
  });

  it("exits 2 with the key path of a config error", () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      "action: { kind: purge, table: audit_logs, column: occurred_at }",
      "action: { kind: purge, table: audit_logs, column: created_at }",
    );
    const { code, stdout, stderr } = launchpad(["sql", "--stack", "dev", "--cwd", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      'Pulumi.yaml (stack dev): launchpad:apps.sheet2scene.jobs.purge-audit-logs.action.column: platform table "audit_logs" has no column "created_at"; purge on occurred_at',
    );
  });

  it("answers --help", () => {
    const { code, stdout } = launchpad(["sql", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Passwords are redacted.");
  });
});
