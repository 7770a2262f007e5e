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
