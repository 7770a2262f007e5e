import { planJson, planTable } from "./plan-render";
import { checkSerializedProviders } from "./provider-check";
import { runStacks, type CliIO } from "./run-stacks";
import { parseCommandLine, parseFormat, parseStacks, UsageError } from "./usage";

export const PLAN_USAGE = `Usage: launchpad plan [--stack dev|qa|prod|all] [--app A]... [--format table|json|markdown]
                      [--diff REF] [--require-secrets] [--serialize-providers] [--cwd DIR]

Runs the Pulumi program of each stack offline (mock engine, no credentials) and prints the
resources it declares: a tree app → component → resources with counts per provider, or JSON.
With --diff, evaluates the stacks at the git commit REF too (read from git; the work tree and the
index are left alone) and prints what the change does to each stack: resources added, removed,
replaced (an input the provider replaces on) or changed, with each property's old and new value,
and the stack outputs that change. Secrets print as [secret].

Options:
  --stack S           dev, qa, prod, a comma-separated list, or all (default: all)
  --app A             only this app's resources (repeatable); the whole catalog is still validated
  --format F          table (default) or json; with --diff also markdown (a pull-request comment)
  --diff REF          compare the work tree with the commit REF (a branch, tag or commit); not with
                      --require-secrets or --serialize-providers
  --require-secrets   fail when a secret the apps need is not set in the stack file, listing the
                      \`pulumi config set --secret\` commands that set them (pre-flight for a deploy)
  --serialize-providers
                      serialize each dynamic provider (Fly, Postgres) as \`pulumi up\` does: slower;
                      proves every provider ships to the engine and captures no secret value
  --cwd DIR           project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help          show this help

Exit codes: 0 success (with --diff: whether or not anything changes), 2 invalid configuration or
usage (with --diff: a REF that names no commit, or invalid configuration at either side, named),
1 evaluation failure (or, with --serialize-providers, a provider that captured a secret).
`;

export async function planCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      app: { type: "string", multiple: true },
      format: { type: "string" },
      "require-secrets": { type: "boolean" },
      "serialize-providers": { type: "boolean" },
      diff: { type: "string" },
    },
    PLAN_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stacks = parseStacks(values.stack, PLAN_USAGE);
  if (values.diff !== undefined) {
    const refused = (["require-secrets", "serialize-providers"] as const).find((option) => values[option]);
    if (refused) throw new UsageError(`--${refused} does not go with --diff`, PLAN_USAGE);
    const { DIFF_FORMATS, planDiff } = require("./plan-diff") as typeof import("./plan-diff");
    const format = parseFormat(values.format, DIFF_FORMATS, PLAN_USAGE);
    return planDiff(
      { ref: values.diff, stacks, format, projectDir, ...(values.app ? { apps: values.app } : {}) },
      io,
    );
  }
  const format = parseFormat(values.format, ["table", "json"] as const, PLAN_USAGE);
  const serializeProviders = values["serialize-providers"] === true;
  const result = await runStacks(
    stacks,
    {
      requireSecrets: values["require-secrets"] === true,
      serializeProviders,
      projectDir,
      ...(values.app ? { apps: values.app } : {}),
    },
    io,
  );
  if (!result.ok) return result.exitCode;
  if (serializeProviders) {
    const check = checkSerializedProviders(result.evaluations);
    for (const line of check.lines) io.stderr(`${line}\n`);
    if (!check.ok) return 1;
  }
  io.stdout(format === "json" ? planJson(result.evaluations) : planTable(result.evaluations, io.style));
  return 0;
}
