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
import { unknownAppsUsage, UsageError } from "./usage";

export interface StackDatabases {
  readonly environment: EnvironmentProfile;
  /** Apps with a database, in catalog order, each with its declaration and its plan. */
  readonly apps: Array<{ readonly spec: AppSpec; readonly plan: DatabasePlan }>;
}

/**
 * Reads and validates the stack's config; throws ConfigError, or UsageError for an unknown app or
 * one without a database. `apps` limits the result to those apps (all when undefined).
 */
export function stackDatabases(
  stack: string,
  apps: readonly string[] | undefined,
  projectDir: string,
  usage: string,
): StackDatabases {
  const platform = validatePlatform(stack, readLayeredConfig(stack, projectDir));
  const names = Object.keys(platform.apps);
  const unknown = (apps ?? []).filter((app) => !names.includes(app));
  if (unknown.length > 0) throw unknownAppsUsage(unknown, names);
  for (const app of apps ?? []) {
    if (!platform.apps[app]!.database) throw new UsageError(`--app: "${app}" declares no database`, usage);
  }
  const selected = names
    .filter((name) => (apps === undefined || apps.includes(name)) && platform.apps[name]!.database)
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
  return { environment: platform.environment, apps: selected };
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
