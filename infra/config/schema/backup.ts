import { z } from "zod";
import { isTimeZone } from "../../schedule/zone";
import { cronSchedule, httpsUrl, sqlIdentifier } from "./common";

const uniqueIdentifiers = (what: string) =>
  z
    .array(sqlIdentifier)
    .min(1, `expected at least one ${what}`)
    .refine((names) => new Set(names).size === names.length, `a ${what} is listed twice`);

/**
 * Exports of an app's tables out of its database, into its private Storage bucket
 * (`launchpad backup`), on a schedule run by a GitHub workflow per stack. Not to be confused with
 * `database.backups`, the database provider's own daily backups and point-in-time recovery, which
 * live and die with the provider's project.
 */
export const backupSchema = z
  .object({
    /** Tables exported, in restore order (declared in database.tables or database.platformTables). */
    tables: uniqueIdentifiers("table").optional(),
    /**
     * Or whole schemas: every table found in them when the backup runs (backup_metadata aside),
     * parents before the tables referencing them. For databases whose tables the app's own
     * migrations create and the catalog does not list.
     */
    schemas: uniqueIdentifiers("schema").optional(),
    /**
     * The private bucket the exports go to: one of `buckets` when the database is Supabase, else a
     * bucket of the Storage project at storageUrl (created private on the first backup).
     */
    bucket: z.string().regex(/^[a-z0-9_-]+$/, "expected a bucket name"),
    /** For a database that is not Supabase: the Supabase project whose Storage holds the bucket. */
    storageUrl: httpsUrl.optional(),
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
