import { ConfigError } from "../../infra/config";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { appBackupConfig, BackupConfigError } from "../backup/app-config";
import { resolveDatabaseUrl, scrub, secretsOf, storageProblem } from "../backup/credentials";
import { RestoreRefused, runRestore } from "../backup/restore";
import { reportConfigError, singleStack } from "./database-plans";
import type { CliIO } from "./run-stacks";
import { parseCommandLine, UsageError } from "./usage";

export const RESTORE_USAGE = `Usage: launchpad restore --stack dev|qa|prod --app APP --from OBJECT --database-url URL [--force] [--checksum SHA] [--cwd DIR]

Restores a backup taken by \`launchpad backup\` from the app's bucket into a database. The object
is downloaded and its size and SHA-256 checked against its manifest before anything is written;
a truncated or corrupted object is refused. The rows are then inserted in one transaction, each
table's row count and checksum checked against the backup's; any mismatch rolls everything back.
A target table that is not empty is refused unless --force (which empties it first, in the same
transaction). Prints the rows restored per table.

The target tables must exist (the app's migrations create them). Storage and the service key are
found as for \`launchpad backup\` (see its --help).

Options:
  --stack S           the stack whose bucket holds the backup (required)
  --app A             the app (required)
  --from OBJECT       the object's name in the bucket, e.g. prod/submissions/20261207T020000Z.ndjson.gz
  --database-url URL  the database to restore into (also read from LAUNCHPAD_RESTORE_DATABASE_URL)
  --force             replace the rows of non-empty target tables
  --checksum SHA      also require this SHA-256 (e.g. backup_metadata.checksum of the source)
  --cwd DIR           project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help          show this help

Exit codes: 0 restored, 1 refused or failed (nothing written), 2 invalid configuration, usage or credentials.
`;

/** Stands for --database-url (keeps the password off the command line). */
export const RESTORE_URL_ENV = "LAUNCHPAD_RESTORE_DATABASE_URL";

export async function restoreCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      app: { type: "string" },
      from: { type: "string" },
      "database-url": { type: "string" },
      force: { type: "boolean" },
      checksum: { type: "string" },
    },
    RESTORE_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stack = singleStack(values.stack, RESTORE_USAGE);
  if (values.app === undefined) throw new UsageError("--app is required", RESTORE_USAGE);
  if (!values.from)
    throw new UsageError("--from is required (the backup object's name in the bucket)", RESTORE_USAGE);
  if (values.checksum !== undefined && !/^(sha256:)?[0-9a-f]{64}$/.test(values.checksum)) {
    throw new UsageError("--checksum: expected a hex SHA-256, optionally prefixed sha256:", RESTORE_USAGE);
  }
  let config;
  try {
    config = appBackupConfig(stack, values.app, projectDir);
  } catch (error) {
    if (error instanceof BackupConfigError) throw new UsageError(error.message, RESTORE_USAGE);
    if (error instanceof ConfigError) return reportConfigError(error, io);
    throw error;
  }
  const env = process.env;
  const database = resolveDatabaseUrl(values["database-url"], env, RESTORE_URL_ENV);
  const problem = database.problem ?? storageProblem(env, config.projectUrl, stack);
  if (problem) {
    io.stderr(`launchpad restore: ${problem}\n`);
    return 2;
  }
  const bucket = config.backup.bucket;
  const object = values.from.replace(new RegExp(`^${bucket}/`), "").replace(/\.manifest\.json$/, "");
  const secrets = secretsOf(env, database.url);
  try {
    const result = await runRestore({
      app: config.app,
      bucket,
      object,
      databaseUrl: database.url!,
      storage: new StorageClient({ ...(config.projectUrl ? { projectUrl: config.projectUrl } : {}) }),
      force: values.force ?? false,
      ...(values.checksum ? { checksum: values.checksum } : {}),
    });
    io.stdout(`restored ${bucket}/${object} (taken ${result.manifest.startedAt}, sha256 verified):\n`);
    for (const table of result.tables) io.stdout(`  ${table.table}: ${table.rows} rows\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`launchpad restore: ${scrub(message, secrets)}\n`);
    if (!(error instanceof RestoreRefused)) io.stderr("  (the restore did not complete)\n");
    return 1;
  }
}
