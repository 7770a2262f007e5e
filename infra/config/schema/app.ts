import { z } from "zod";
import { alertsSchema } from "./alerts";
import { cronSchedule, envName, hostname, httpsOrigin, sqlIdentifier } from "./common";
import { backupSchema } from "./backup";
import { databaseSchema } from "./database";
import { frontendSchema } from "./frontend";
import { serviceSchema } from "./services";

/** App names become parts of physical names (Vercel projects, Fly apps), so they are DNS labels. */
export const appName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, "expected a lowercase name of letters, digits and dashes");

export const repositorySchema = z
  .object({
    owner: z.string().regex(/^[A-Za-z0-9-]+$/, "expected a GitHub user or organisation"),
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, "expected a GitHub repository name"),
    defaultBranch: z.string().min(1).default("main"),
    /** Status checks that must pass before a pull request merges into the default branch. */
    requiredChecks: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const corsSchema = z
  .object({
    /**
     * Exact origins, besides the site's own, allowed to call the app cross-origin, e.g.
     * `https://www.example.com`. Never `*`, never plain http.
     */
    allowedOrigins: z.array(httpsOrigin).default([]),
  })
  .strict();

export const bucketSchema = z
  .object({
    public: z.boolean().default(false),
    fileSizeLimitMb: z.number().int().min(1).max(5120).default(50),
    allowedMimeTypes: z
      .array(z.string().regex(/^[a-z]+\/[a-z0-9.+*-]+$/, "expected a MIME type"))
      .default([]),
  })
  .strict();

/** What a scheduled job does. */
export const jobActionSchema = z.discriminatedUnion("kind", [
  /** Delete rows older than the retention (defaults to the environment's log retention). */
  z
    .object({
      kind: z.literal("purge"),
      table: sqlIdentifier,
      column: sqlIdentifier.default("created_at"),
      retentionDays: z.number().int().min(1).max(3650).optional(),
    })
    .strict(),
  /** Copy a table into a dated snapshot and record it in `backup_metadata`. */
  z
    .object({ kind: z.literal("snapshot"), table: sqlIdentifier, bucket: z.string().min(1).optional() })
    .strict(),
  /** Delete snapshots older than the environment's backup retention. */
  z.object({ kind: z.literal("snapshot-cleanup") }).strict(),
]);

export const jobSchema = z.object({ schedule: cronSchedule, action: jobActionSchema }).strict();

/** One application of the fleet: every part it deploys, declared as data. */
export const appSchema = z
  .object({
    description: z.string().optional(),
    /** Production domain; other environments use subdomains of their base domain. */
    domain: hostname,
    repository: repositorySchema,
    cors: corsSchema.default({ allowedOrigins: [] }),
    frontend: frontendSchema.optional(),
    services: z.record(appName, serviceSchema).default({}),
    database: databaseSchema.optional(),
    buckets: z.record(z.string().regex(/^[a-z0-9-]+$/, "expected a bucket name"), bucketSchema).default({}),
    jobs: z.record(z.string().regex(/^[a-z0-9-]+$/, "expected a job name"), jobSchema).default({}),
    /** Exports of the app's tables to its private bucket, scheduled; see `launchpad backup`. */
    backup: backupSchema.optional(),
    alerts: alertsSchema,
    /** Secrets the app's CI workflows read (GitHub environment secrets). */
    ciSecrets: z
      .array(
        envName.refine(
          (name) => !name.startsWith("GITHUB_"),
          "GitHub refuses secret names starting with GITHUB_",
        ),
      )
      .default([]),
  })
  .strict();

export type AppSpec = z.infer<typeof appSchema>;
export type JobSpec = z.infer<typeof jobSchema>;
export type BucketSpec = z.infer<typeof bucketSchema>;
