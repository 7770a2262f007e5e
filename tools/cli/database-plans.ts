/**
 * The database layers of one stack, read from its config files without evaluating the program:
 * what `launchpad sql` prints and `launchpad rehearse` applies.
 */
import { databasePlan, type DatabasePlan } from "../../infra/components/database-plan";
import {
  ConfigError,
  formatIssue,
  readLayeredConfig,
  validatePlatform,
  type AppSpec,
  type EnvironmentProfile,
} from "../../infra/config";
import type { CliIO } from "./run-stacks";
import { UsageError } from "./usage";

export interface StackDatabases {
  readonly environment: EnvironmentProfile;
  /** Apps with a database, in catalog order, each with its declaration and its plan. */
  readonly apps: Array<{ readonly spec: AppSpec; readonly plan: DatabasePlan }>;
}

/** Reads and validates the stack's config; throws ConfigError, or UsageError for an unknown app. */
export function stackDatabases(
  stack: string,
  app: string | undefined,
  projectDir: string,
  usage: string,
): StackDatabases {
  const platform = validatePlatform(stack, readLayeredConfig(stack, projectDir));
  const names = Object.keys(platform.apps);
  if (app !== undefined) {
    if (!names.includes(app)) {
      throw new UsageError(`--app: the catalog declares no app "${app}" (apps: ${names.join(", ")})`, usage);
    }
    if (!platform.apps[app]!.database) throw new UsageError(`--app: "${app}" declares no database`, usage);
  }
  const apps = names
    .filter((name) => (app === undefined || name === app) && platform.apps[name]!.database)
    .map((name) => {
      const spec = platform.apps[name]!;
      const plan = databasePlan({
        app: name,
        database: spec.database!,
        buckets: spec.buckets,
        jobs: spec.jobs,
        environment: platform.environment,
      });
      return { spec, plan };
    });
  return { environment: platform.environment, apps };
}

/** Prints a ConfigError the way `launchpad plan` does; other errors are rethrown. Returns the exit code. */
export function reportConfigError(error: unknown, io: CliIO): number {
  if (!(error instanceof ConfigError)) throw error;
  const count = error.issues.length;
  io.stderr(`launchpad: invalid configuration (${count} problem${count === 1 ? "" : "s"}):\n`);
  for (const issue of error.issues) io.stderr(`  ${formatIssue(issue).replace(/\n/g, "\n    ")}\n`);
  return 2;
}

/** `--stack` of the commands that work on one stack. */
export function singleStack(value: string | undefined, usage: string): string {
  if (value === undefined) throw new UsageError("--stack is required (dev, qa or prod)", usage);
  if (!["dev", "qa", "prod"].includes(value)) {
    throw new UsageError(`--stack: expected one of dev, qa, prod, got "${value}"`, usage);
  }
  return value;
}
