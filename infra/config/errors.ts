/** One problem in the configuration, located by the file that declares it and the key path inside it. */
export interface ConfigIssue {
  /** `Pulumi.yaml` or `Pulumi.<stack>.yaml`: the file where the fix belongs. */
  file: string;
  /** Full key path, e.g. `launchpad:apps.mapquiz.services.api.memoryMb`. */
  key: string;
  message: string;
  /** The stack whose evaluation found it (a catalog problem may show in one stack only). */
  stack?: string;
}

/** `Pulumi.yaml (stacks dev, qa)`; a stack's own file names its stack already. */
function where(file: string, stacks: readonly string[]): string {
  if (stacks.length === 0 || (stacks.length === 1 && file === `Pulumi.${stacks[0]}.yaml`)) return file;
  return `${file} (stack${stacks.length === 1 ? "" : "s"} ${stacks.join(", ")})`;
}

/**
 * `<file> (stack <s>): <key>: <message>`. `stacks` lists every stack that found the same problem,
 * so a catalog problem shared by all stacks prints once.
 */
export function formatIssue(
  issue: ConfigIssue,
  stacks: readonly string[] = issue.stack ? [issue.stack] : [],
): string {
  const file = where(issue.file, stacks);
  return issue.key ? `${file}: ${issue.key}: ${issue.message}` : `${file}: ${issue.message}`;
}

/** The same issue found by another stack. */
export function sameIssue(a: ConfigIssue, b: ConfigIssue): boolean {
  return a.file === b.file && a.key === b.key && a.message === b.message;
}

/** Raised when configuration is invalid; carries every problem found, not only the first. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((issue) => `  ${formatIssue(issue).replace(/\n/g, "\n    ")}`).join("\n"),
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Renders a value for an error message without dumping whole objects. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
