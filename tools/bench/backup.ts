/**
 * Backup and restore of a generated table, 100,000 then 1,000,000 rows: `launchpad backup` and
 * `launchpad restore` each run as an operator runs them (a child process, through
 * tools/bench/measured-run.js, which reports the process's CPU time and peak resident memory),
 * against a throwaway embedded Postgres and the local Storage. Memory should stay flat as rows grow.
 * Run: npx tsx tools/bench/backup.ts [--rows 100000,1000000] [--max-old-space-mb 64]
 *
 * Figures are printed, not asserted; the exit code is 1 only if a command failed or a restore's
 * checksums differ from the backup's.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../../infra/config";
import { createPlatformTableSql } from "../../infra/providers/postgres/sql/platform-tables";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { appBackupConfig } from "../backup/app-config";
import { withDatabase } from "../backup/database";
import { createBackupTables } from "../backup/drill-tables";
import { tableSummary } from "../backup/export";
import { generatedRowsSql } from "../backup/generated-rows";
import { backupTables } from "../backup/tables";
import { scheduledBackups } from "../backup/workflow";
import { startFakeStorage, STORAGE_ROOT } from "../fakes/supabase-storage";
import { startThrowawayPostgres } from "../rehearse/embedded-postgres";

const MEASURED_RUN = path.join(__dirname, "measured-run.js");

interface Measured {
  code: number;
  seconds: number;
  cpuMs: number;
  maxRssMb: number;
  stdout: string;
  stderr: string;
}

function measured(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [MEASURED_RUN, ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", () => {
      const seconds = (performance.now() - started) / 1000;
      const last = stderr.trim().split("\n").at(-1) ?? "{}";
      const { code, cpuMs, maxRssMb } = JSON.parse(last) as { code: number; cpuMs: number; maxRssMb: number };
      resolve({ code, seconds, cpuMs, maxRssMb, stdout, stderr });
    });
  });
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { rows: { type: "string", default: "100000,1000000" }, "max-old-space-mb": { type: "string" } },
  });
  // A cap on V8's old space: a command that held its rows would die under it, one that only
  // leaves garbage for a lazy collector runs within it (peak RSS alone cannot tell them apart).
  const cap = values["max-old-space-mb"];
  const nodeOptions = cap ? { NODE_OPTIONS: `--max-old-space-size=${Number(cap)}` } : {};
  const sizes = values.rows!.split(",").map(Number);
  // The first backup declaration that lists its tables (a backup by schema names none to fill).
  const config = scheduledBackups()
    .map((b) => appBackupConfig("dev", b.app, PROJECT_DIR))
    .find((c) => backupTables(c.spec).length > 0)!;
  const { app } = config;
  const table = backupTables(config.spec)[0]!;
  const server = await startThrowawayPostgres();
  const fake = await startFakeStorage({ serviceKey: randomBytes(24).toString("base64url") });
  let failures = 0;
  try {
    await new StorageClient({
      projectUrl: fake.url,
      env: { SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey },
    }).createBucket(config.backup.bucket, { public: false });
    console.log(
      `Backup and restore of ${app}.${table.table} (dev), generated rows; CLI processes measured from outside` +
        (cap ? `; V8 old space capped at ${cap} MB` : ""),
    );
    console.log("  rows        step      wall s   rows/s     CPU s   peak RSS MB   object MB");
    for (const rows of sizes) {
      const source = `bench_source_${rows}`;
      const target = `bench_target_${rows}`;
      await withDatabase(server.url, async (c) => {
        await c.query(`CREATE DATABASE ${source}`);
        await c.query(`CREATE DATABASE ${target}`);
      });
      const sourceUrl = databaseUrl(server.url, source);
      const targetUrl = databaseUrl(server.url, target);
      for (const url of [sourceUrl, targetUrl]) {
        await createBackupTables(url, config.spec);
        await withDatabase(url, (c) => c.query(createPlatformTableSql("public", "backup_metadata")));
      }
      await withDatabase(sourceUrl, (c) =>
        c.query(generatedRowsSql(config.spec.database!, table.table, 1, rows)),
      );
      const env = {
        [config.databaseUrlEnv]: sourceUrl,
        SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey,
        SUPABASE_STORAGE_BASE_URL: `${fake.url}${STORAGE_ROOT}`,
        LAUNCHPAD_RESTORE_DATABASE_URL: targetUrl,
        ...nodeOptions,
      };
      const backup = await measured(["backup", "--stack", "dev", "--app", app], env);
      const object = new RegExp(`: ${config.backup.bucket}/(\\S+\\.ndjson\\.gz)\\n`).exec(backup.stdout)?.[1];
      const restore = object
        ? await measured(["restore", "--stack", "dev", "--app", app, "--from", object], env)
        : undefined;
      const sizeMb = object
        ? (fake.store.objects.get(config.backup.bucket)!.get(object)!.size / 1e6).toFixed(1)
        : "-";
      const line = (step: string, m: Measured) =>
        `  ${String(rows).padStart(9)}   ${step.padEnd(8)} ${m.seconds.toFixed(1).padStart(7)} ${Math.round(
          rows / m.seconds,
        )
          .toString()
          .padStart(
            8,
          )} ${(m.cpuMs / 1000).toFixed(1).padStart(9)} ${m.maxRssMb.toFixed(0).padStart(13)} ${sizeMb.padStart(11)}`;
      console.log(line("backup", backup));
      if (restore) console.log(line("restore", restore));
      const same =
        JSON.stringify(await tableSummary(sourceUrl, table)) ===
        JSON.stringify(await tableSummary(targetUrl, table));
      if (backup.code !== 0 || restore?.code !== 0 || !same) {
        failures++;
        console.log(
          `    FAILED: ${backup.stderr.split("\n")[0]} ${restore?.stderr.split("\n")[0] ?? ""} checksums ${same ? "match" : "differ"}`,
        );
      }
      await withDatabase(server.url, async (c) => {
        await c.query(`DROP DATABASE ${source} WITH (FORCE)`);
        await c.query(`DROP DATABASE ${target} WITH (FORCE)`);
      });
    }
  } finally {
    await fake.close();
    await server.stop();
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
