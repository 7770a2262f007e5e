import { layerScript } from "../rehearse/layer-sql";
import { reportConfigError, singleStack, stackDatabases } from "./database-plans";
import type { CliIO } from "./run-stacks";
import { parseCommandLine } from "./usage";

export const SQL_USAGE = `Usage: launchpad sql --stack dev|qa|prod [--app A]... [--cwd DIR]

Prints the SQL each app's database layer amounts to, in apply order, for review by a DBA: roles
and grants (as the postgresql provider issues them), Row Level Security and its policies, platform
tables and audit triggers, storage buckets and pg_cron jobs. Each resource is introduced by a
comment with its logical name, type and the role it runs as. Passwords are redacted. The script is
what applying on an empty database amounts to; the providers issue only what differs.

Options:
  --stack S     the stack (required)
  --app A       only this app (repeatable: each app named)
  --cwd DIR     project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help    show this help

Exit codes: 0 success, 2 invalid configuration or usage.
`;

export async function sqlCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    { stack: { type: "string" }, app: { type: "string", multiple: true } },
    SQL_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stack = singleStack(values.stack, SQL_USAGE);
  let databases;
  try {
    databases = stackDatabases(stack, values.app, projectDir, SQL_USAGE);
  } catch (error) {
    return reportConfigError(error, io);
  }
  const scripts = databases.apps.map(({ plan }) =>
    layerScript(plan, `${plan.app}-database`, [
      `launchpad sql: stack ${stack}, app ${plan.app}, ${plan.flavor} flavor`,
      plan.flavor === "supabase"
        ? "Supabase provides the anon, authenticated and service_role roles, auth.uid() and storage."
        : "Plain Postgres: SupabaseCompat creates the anon, authenticated and service_role equivalents first.",
      "Runs as the admin connection unless a resource says otherwise; passwords are redacted.",
    ]),
  );
  io.stdout(scripts.join("\n"));
  return 0;
}
