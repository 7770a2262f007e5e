import { parseArgs } from "node:util";
import { didYouMean } from "./did-you-mean";
import { findProjectDir } from "./project-dir";

/**
 * Raised for a bad command line; the CLI prints it as one line, points at the command's `--help`
 * and exits 2. `usage` is the command's usage text, for callers that show it elsewhere.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = "",
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const STACKS = ["dev", "qa", "prod"] as const;

/** `--stack dev|qa|prod|all` → the stacks to evaluate, in a stable order. */
export function parseStacks(value: string | undefined, usage: string): string[] {
  const asked = value ?? "all";
  if (asked === "all") return [...STACKS];
  const stacks = asked.split(",").map((s) => s.trim());
  for (const stack of stacks) {
    if (!(STACKS as readonly string[]).includes(stack)) {
      throw new UsageError(`--stack: expected one of ${STACKS.join(", ")} or all, got "${stack}"`, usage);
    }
  }
  return STACKS.filter((s) => stacks.includes(s));
}

/** `--format`, checked against the formats a command supports. */
export function parseFormat<F extends string>(
  value: string | undefined,
  formats: readonly F[],
  usage: string,
): F {
  const format = value ?? formats[0]!;
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${formats.join(", ")}, got "${format}"`, usage);
  }
  return format as F;
}

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

type OptionValue<S extends OptionSpec> = S["multiple"] extends true
  ? string[]
  : S["type"] extends "boolean"
    ? boolean
    : string;

/** Options every command takes. */
const COMMON_OPTIONS = { cwd: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/**
 * A single-valued option given twice is refused: silently keeping the last one (parseArgs' way)
 * would run `--stack dev --stack qa` on qa alone.
 */
function refuseRepeats(
  tokens: ReadonlyArray<{ kind: string; name?: string; rawName?: string }>,
  options: Record<string, OptionSpec>,
  usage: string,
): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    if (options[token.name]?.multiple) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} given more than once; it takes a single value`, usage);
    }
    seen.add(token.name);
  }
}

/**
 * Parses a command's options (every command also takes `--cwd` and `-h/--help`) and resolves the
 * project folder. Returns undefined when help was asked for and printed.
 */
export function parseCommandLine<O extends Record<string, OptionSpec>>(
  argv: string[],
  options: O,
  usage: string,
  printHelp: (text: string) => void,
):
  | {
      values: { [K in keyof O]?: OptionValue<O[K]> };
      projectDir: string;
    }
  | undefined {
  const all: Record<string, OptionSpec> = { ...options, ...COMMON_OPTIONS };
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: all,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    values = parsed.values;
    refuseRepeats(parsed.tokens, all, usage);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message.split("\n")[0]!, usage);
  }
  if (values["help"]) {
    printHelp(usage);
    return undefined;
  }
  let projectDir: string;
  try {
    projectDir = findProjectDir(values["cwd"] as string | undefined);
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  return { values: values as { [K in keyof O]?: OptionValue<O[K]> }, projectDir };
}

/** `--app: the catalog declares no app "x" (did you mean "y"?)`. */
export function unknownAppsUsage(unknown: readonly string[], catalog: readonly string[]): UsageError {
  const named = unknown.map((app) => `"${app}"${didYouMean(app, catalog)}`).join(", ");
  return new UsageError(`--app: the catalog declares no app ${named} (apps: ${catalog.join(", ")})`);
}
