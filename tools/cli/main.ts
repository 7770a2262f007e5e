import { didYouMean } from "./did-you-mean";
import type { CliIO } from "./run-stacks";
import { UsageError } from "./usage";

export const MAIN_USAGE = `Usage: launchpad <command> [options]

Commands for the launchpad Pulumi project. plan, sql, rehearse, audit and import are offline: they need no
credentials and no Pulumi engine; backup and restore reach the app's database and Storage.

Commands:
  plan     the resources each stack declares (inventory per stack)
  sql      the SQL each app's database layer amounts to, in apply order, for a DBA's review
  rehearse applies the database layer to a throwaway Postgres and probes its Row Level Security
  audit    the security policy pack, evaluated offline: reports for terminals, PRs, code scanning
  import   the \`pulumi import\` file that takes over a stack's existing resources, from their ids
  backup   exports an app's declared tables to its private Storage bucket (needs its credentials)
  restore  restores such a backup into a database, verified before anything is written

Run \`launchpad <command> --help\` for a command's options.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

// Commands load on demand: `--help` should not pay for the Pulumi SDK and the providers.
const COMMANDS: Record<string, () => Command> = {
  plan: () => (require("./plan-command") as typeof import("./plan-command")).planCommand,
  sql: () => (require("./sql-command") as typeof import("./sql-command")).sqlCommand,
  rehearse: () => (require("./rehearse-command") as typeof import("./rehearse-command")).rehearseCommand,
  audit: () => (require("./audit-command") as typeof import("./audit-command")).auditCommand,
  import: () => (require("./import-command") as typeof import("./import-command")).importCommand,
  backup: () => (require("./backup-command") as typeof import("./backup-command")).backupCommand,
  restore: () => (require("./restore-command") as typeof import("./restore-command")).restoreCommand,
};

/** A usage error is one line, then where the whole usage is. */
function usageError(io: CliIO, prefix: string, message: string, help: string): number {
  io.stderr(`${prefix}: ${message}\nRun \`${help}\` for usage.\n`);
  return 2;
}

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(MAIN_USAGE);
    return 0;
  }
  if (command === undefined) return usageError(io, "launchpad", "a command is required", "launchpad --help");
  const run = COMMANDS[command]?.();
  if (!run) {
    const hint = didYouMean(command, Object.keys(COMMANDS));
    return usageError(io, "launchpad", `unknown command "${command}"${hint}`, "launchpad --help");
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      return usageError(io, `launchpad ${command}`, error.message, `launchpad ${command} --help`);
    }
    throw error;
  }
}
