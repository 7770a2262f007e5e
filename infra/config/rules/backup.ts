import { localScheduleProblem, utcCronLines } from "../../schedule/utc-lines";
import { isTimeZone } from "../../schedule/zone";
import type { AppSpec } from "../schema";
import { appPath, type RuleIssue } from "./types";

/** The backup_metadata table records the exports; it is not one of them (it would record itself). */
const METADATA_TABLE = "backup_metadata";
const SYSTEM_SCHEMAS = /^(pg_.*|information_schema)$/;
/** Supabase's own schemas: its auth users, storage objects, realtime… restored by Supabase, not by us. */
const SUPABASE_SCHEMAS = ["auth", "storage", "realtime", "extensions", "graphql", "graphql_public", "vault"];

/**
 * A backup exports declared tables (or whole schemas) of the app's database into a private bucket:
 * a declared one of its Supabase project, or one of the Storage project at storageUrl.
 */
export function backupRules(name: string, app: AppSpec): RuleIssue[] {
  const backup = app.backup;
  if (!backup) return [];
  const at = appPath(name);
  const database = app.database;
  if (!database) {
    return [
      {
        path: at("backup"),
        message: "a backup exports the app's database, but the app declares no database",
      },
    ];
  }
  const issues: RuleIssue[] = [];
  const supabase = database.flavor === "supabase";
  if (!supabase && !backup.storageUrl) {
    issues.push({
      path: at("backup", "storageUrl"),
      message:
        "the database is not Supabase, so it has no Storage: set backup.storageUrl to the Supabase project holding the bucket",
    });
  }
  if (supabase && backup.storageUrl) {
    issues.push({
      path: at("backup", "storageUrl"),
      message: "a Supabase database's backups go to its own project's bucket (buckets): drop storageUrl",
    });
  }
  issues.push(...scheduleIssues(backup, at));
  const platformTables = new Set<string>(database.platformTables);
  if (!platformTables.has(METADATA_TABLE)) {
    issues.push({
      path: at("backup"),
      message: "backups are recorded in backup_metadata: add it to database.platformTables",
    });
  }
  if (!backup.tables === !backup.schemas) {
    issues.push({
      path: at("backup"),
      message:
        "declare the tables to back up (backup.tables) or the schemas (backup.schemas), one of the two",
    });
  }
  (backup.tables ?? []).forEach((table, index) => {
    if (table === METADATA_TABLE) {
      issues.push({
        path: at("backup", "tables", index),
        message: "backup_metadata records the backups; it is not backed up",
      });
    } else if (!(table in database.tables) && !platformTables.has(table)) {
      issues.push({
        path: at("backup", "tables", index),
        message: `table "${table}" is not declared in database.tables or database.platformTables`,
      });
    }
  });
  (backup.schemas ?? []).forEach((schema, index) => {
    if (SYSTEM_SCHEMAS.test(schema) || (supabase && SUPABASE_SCHEMAS.includes(schema))) {
      issues.push({
        path: at("backup", "schemas", index),
        message: `schema "${schema}" is the platform's, not the app's: back up the app's schemas (e.g. public)`,
      });
    }
  });
  if (!supabase) return issues;
  const bucket = app.buckets[backup.bucket];
  if (!bucket) {
    issues.push({
      path: at("backup", "bucket"),
      message: `bucket "${backup.bucket}" is not declared in buckets`,
    });
  } else {
    if (bucket.public) {
      issues.push({
        path: at("buckets", backup.bucket, "public"),
        message: "the backup bucket holds every row of the app: it must be private (public: false)",
      });
    }
    const mimeTypes = bucket.allowedMimeTypes;
    for (const type of ["application/gzip", "application/json"]) {
      if (mimeTypes.length > 0 && !mimeTypes.includes(type)) {
        issues.push({
          path: at("buckets", backup.bucket, "allowedMimeTypes"),
          message: `backups upload ${type} objects: add it to the bucket's allowedMimeTypes`,
        });
      }
    }
  }
  return issues;
}

/**
 * The schedules are wall-clock times in backup.timeZone, run from UTC cron lines: each must shift
 * to UTC, and no line may start both the backup and the cleanup (the workflow tells the two runs
 * apart by the line that started it).
 */
function scheduleIssues(backup: NonNullable<AppSpec["backup"]>, at: ReturnType<typeof appPath>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const key of ["schedule", "cleanupSchedule"] as const) {
    const problem = localScheduleProblem(backup[key]);
    if (problem) issues.push({ path: at("backup", key), message: problem });
  }
  if (issues.length > 0 || !isTimeZone(backup.timeZone)) return issues;
  const backupLines = utcCronLines(backup.schedule, backup.timeZone);
  const shared = utcCronLines(backup.cleanupSchedule, backup.timeZone).filter((l) => backupLines.includes(l));
  if (shared.length > 0) {
    issues.push({
      path: at("backup", "cleanupSchedule"),
      message: `the cleanup needs its own schedule, distinct from backup.schedule (both run at UTC "${shared.join('", "')}" in ${backup.timeZone})`,
    });
  }
  return issues;
}
