import { parseArgs } from "node:util";
import { findProjectDir } from "./project-dir";

/** Raised for a bad command line; the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
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

type OptionSpec = { type: "string" | "boolean"; short?: string };

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
      values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };
      projectDir: string;
    }
  | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: { ...options, cwd: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
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
  return {
    values: values as { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string },
    projectDir,
  };
}
