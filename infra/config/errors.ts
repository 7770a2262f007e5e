/** One problem in the configuration, located by the file that declares it and the key path inside it. */
export interface ConfigIssue {
  /** `Pulumi.yaml` or `Pulumi.<stack>.yaml`. */
  file: string;
  /** Full key path, e.g. `launchpad:apps.mapquiz.services.api.memoryMb`. */
  key: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return issue.key ? `${issue.file}: ${issue.key}: ${issue.message}` : `${issue.file}: ${issue.message}`;
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
