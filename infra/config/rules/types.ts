import type { KeyPath } from "../key-paths";

/** A problem found by a cross-field rule, at a path of the validated platform. */
export interface RuleIssue {
  path: KeyPath;
  message: string;
  /**
   * The value is missing for this stack only, so the fix belongs under the stack file's
   * `launchpad:overrides` (e.g. a per-environment Supabase URL), wherever the rule that needs it lives.
   */
  fixInStack?: boolean;
}

/** A path builder under one app: `at("database", "tables")` → `apps.<app>.database.tables`. */
export function appPath(name: string): (...path: Array<string | number>) => KeyPath {
  return (...path) => ["apps", name, ...path];
}
