/**
 * What the backup commands need of the catalog for one stack and app: the declaration, the tables,
 * the retention, where Storage is, and which variable holds the database URL.
 */

import { readLayeredConfig, validatePlatform, type AppSpec, type BackupSpec } from "../../infra/config";
import { backupSelection, type BackupSelection } from "./tables";

export interface AppBackupConfig {
  readonly stack: string;
  readonly app: string;
  readonly spec: AppSpec;
  readonly backup: BackupSpec;
  /** What the backup exports: those tables, or the schemas whose tables are listed when it runs. */
  readonly selection: BackupSelection;
  readonly retentionDays: number;
  /** The Supabase project holding the bucket (the app's own, or backup.storageUrl), when the stack sets one. */
  readonly projectUrl?: string;
  /** The variable (a stack secret of the same name) holding the database's admin URL. */
  readonly databaseUrlEnv: string;
}

/** An app that cannot be backed up as asked (exit 2). */
export class BackupConfigError extends Error {
  override name = "BackupConfigError";
}

/** Reads and validates the stack's config (throws ConfigError when invalid). */
export function appBackupConfig(stack: string, app: string, projectDir: string): AppBackupConfig {
  const platform = validatePlatform(stack, readLayeredConfig(stack, projectDir));
  const spec = platform.apps[app];
  if (!spec) {
    throw new BackupConfigError(
      `--app: the catalog declares no app "${app}" (apps: ${Object.keys(platform.apps).join(", ")})`,
    );
  }
  if (!spec.backup || !spec.database) {
    const declared = Object.keys(platform.apps).filter((name) => platform.apps[name]!.backup);
    throw new BackupConfigError(
      `--app: "${app}" declares no backup (apps.${app}.backup in Pulumi.yaml); apps with one: ${declared.join(", ") || "none"}`,
    );
  }
  const projectUrl = spec.database.supabaseUrl ?? spec.backup.storageUrl;
  return {
    stack,
    app,
    spec,
    backup: spec.backup,
    selection: backupSelection(spec),
    retentionDays: platform.environment.backupRetentionDays,
    ...(projectUrl ? { projectUrl } : {}),
    databaseUrlEnv: spec.database.adminUrlSecret,
  };
}
