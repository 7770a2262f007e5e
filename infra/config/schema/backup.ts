import { z } from "zod";
import { isTimeZone } from "../../schedule/zone";
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
    /** When the export runs (cron, wall-clock time in timeZone). */
    schedule: cronSchedule.default("0 2 * * *"),
    /** When exports older than the environment's backupRetentionDays are deleted (cron, in timeZone). */
    cleanupSchedule: cronSchedule.default("0 3 * * 0"),
    /**
     * The IANA zone the schedules are read in. Europe/Paris by default: the seeds are French
     * institutions' and mean Paris time (02:00 is 01:00 UTC in winter, 00:00 UTC in summer).
     */
    timeZone: z
      .string()
      .default("Europe/Paris")
      .refine(isTimeZone, "expected an IANA time zone (e.g. Europe/Paris, UTC)"),
  })
  .strict();

export type BackupSpec = z.infer<typeof backupSchema>;
