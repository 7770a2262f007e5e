import { z } from "zod";
import { cronSchedule, sqlIdentifier } from "./common";

/**
 * Exports of an app's tables out of its database, into its private Storage bucket
 * (`launchpad backup`), on a schedule run by a GitHub workflow per stack. Not to be confused with
 * `database.backups`, the database provider's own daily backups and point-in-time recovery, which
 * live and die with the provider's project.
 */
export const backupSchema = z
  .object({
    /** Tables exported, in restore order (declared in database.tables or database.platformTables). */
    tables: z
      .array(sqlIdentifier)
      .min(1, "expected at least one table to back up")
      .refine((tables) => new Set(tables).size === tables.length, "a table is listed twice"),
    /** The private bucket of `buckets` the exports go to. */
    bucket: z.string().regex(/^[a-z0-9_-]+$/, "expected a bucket name"),
    /** When the export runs (cron, UTC). */
    schedule: cronSchedule.default("0 2 * * *"),
    /** When exports older than the environment's backupRetentionDays are deleted (cron, UTC). */
    cleanupSchedule: cronSchedule.default("0 3 * * 0"),
  })
  .strict();

export type BackupSpec = z.infer<typeof backupSchema>;
