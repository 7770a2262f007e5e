import { ConfigError } from "../../infra/config";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { appBackupConfig, BackupConfigError } from "../backup/app-config";
import { BackupFailed, describeTables, runBackup } from "../backup/backup";
import { runCleanup } from "../backup/cleanup";
import { ensurePrivateBucket } from "../backup/external-bucket";
import { resolveDatabaseUrl, scrub, secretsOf, storageProblem } from "../backup/credentials";
import { reportConfigError, singleStack } from "./database-plans";
import type { CliIO } from "./run-stacks";
import { parseCommandLine, UsageError } from "./usage";

export const BACKUP_USAGE = `Usage: launchpad backup --stack dev|qa|prod --app APP [--cleanup] [--database-url URL] [--cwd DIR]

Exports the app's tables declared in apps.<app>.backup (Pulumi.yaml: its tables, or every table of
its schemas as listed when it starts, backup_metadata aside) in one REPEATABLE READ
snapshot, gzip-compressed and SHA-256-checksummed as it streams, uploads it with a manifest to the
app's private bucket (<stack>/<app>/<time>.ndjson.gz) through the Supabase Storage API, and records
it in backup_metadata (object, size, checksum, rows per table, duration, status); a failed backup
is recorded as failed and leaves no object behind.

With --cleanup: deletes the backups older than the environment's backupRetentionDays, objects and
backup_metadata rows, never the newest successful one.

Where the credentials come from (values are never printed):
  database     --database-url, else the variable named by the app's database.adminUrlSecret
               (DATABASE_ADMIN_URL by default; the stack secret of the same name in CI)
  Storage      the stack's database.supabaseUrl (or, for a database that is not Supabase,
               backup.storageUrl, whose bucket is created private if missing) + /storage/v1,
               else SUPABASE_STORAGE_BASE_URL
  service key  SUPABASE_SERVICE_ROLE_KEY

Options:
  --stack S           the stack (required)
  --app A             the app (required)
  --cleanup           delete the backups past the retention instead of taking one
  --database-url URL  the app database's URL (prefer the variable: a flag lands in shell history)
  --cwd DIR           project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help          show this help

Exit codes: 0 done, 1 the backup or cleanup failed (a failed backup is recorded as such),
2 invalid configuration, usage or credentials.
`;

export async function backupCommand(
  argv: string[],
  io: CliIO,
  clock: () => Date = () => new Date(),
): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      app: { type: "string" },
      cleanup: { type: "boolean" },
      "database-url": { type: "string" },
    },
    BACKUP_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stack = singleStack(values.stack, BACKUP_USAGE);
  if (values.app === undefined) throw new UsageError("--app is required", BACKUP_USAGE);
  let config;
  try {
    config = appBackupConfig(stack, values.app, projectDir);
  } catch (error) {
    if (error instanceof BackupConfigError) throw new UsageError(error.message, BACKUP_USAGE);
    if (error instanceof ConfigError) return reportConfigError(error, io);
    throw error;
  }
  const env = process.env;
  const database = resolveDatabaseUrl(values["database-url"], env, config.databaseUrlEnv);
  const problem = database.problem ?? storageProblem(env, config.projectUrl, stack);
  if (problem) {
    io.stderr(`launchpad backup: ${problem}\n`);
    return 2;
  }
  const secrets = secretsOf(env, database.url);
  const storage = new StorageClient({ ...(config.projectUrl ? { projectUrl: config.projectUrl } : {}) });
  const common = {
    stack,
    app: config.app,
    bucket: config.backup.bucket,
    databaseUrl: database.url!,
    storage,
  };
  try {
    if (values.cleanup) {
      const result = await runCleanup({ ...common, retentionDays: config.retentionDays }, clock());
      io.stdout(
        `cleanup of ${config.app} (${stack}, ${config.retentionDays} days): ` +
          `${result.deletedObjects.length} objects and ${result.deletedRows} backup_metadata rows deleted` +
          (result.kept ? `; newest successful backup kept: ${config.backup.bucket}/${result.kept}` : "") +
          "\n",
      );
      return 0;
    }
    if (config.spec.database!.flavor !== "supabase") await ensurePrivateBucket(storage, config.backup.bucket);
    const result = await runBackup({ ...common, tables: config.selection }, clock);
    const { manifest } = result;
    io.stdout(
      `backup of ${config.app} (${stack}): ${manifest.bucket}/${result.object}\n` +
        `  ${manifest.sizeBytes} bytes, sha256:${manifest.sha256}, ${(result.durationMs / 1000).toFixed(1)} s\n` +
        `  rows: ${describeTables(manifest.tables)}\n` +
        `  recorded in backup_metadata (id ${result.metadataId})\n`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`launchpad backup: ${scrub(message, secrets)}\n`);
    if (!(error instanceof BackupFailed) && !values.cleanup)
      io.stderr("  (nothing was recorded: backup_metadata could not be written)\n");
    return 1;
  }
}
