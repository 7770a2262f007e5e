import { z } from "zod";
import { envName, httpsUrl, sqlIdentifier } from "./common";
import { SUPABASE_SETTINGS_DEFAULT, supabaseSettingsSchema } from "./supabase";

const columnType = z.enum([
  "uuid",
  "text",
  "integer",
  "bigint",
  "boolean",
  "timestamptz",
  "jsonb",
  "date",
  "numeric",
]);

/**
 * Rows belong to a tenant; members of the tenant see them. Who is a member is read from
 * `membershipTable`, which must be declared with the `membership` model (its columns come from there).
 */
const tenantModel = z
  .object({
    model: z.literal("tenant"),
    column: sqlIdentifier,
    membershipTable: sqlIdentifier,
  })
  .strict();

/**
 * The table that grants tenancy: one row per (user, tenant). A member reads its own memberships
 * only; no user adds, moves or raises a membership. With `roleColumn` and `adminRoles`, a member
 * holding one of those roles adds members to its own tenant; every other change is the service role's.
 */
const membershipModel = z
  .object({
    model: z.literal("membership"),
    userColumn: sqlIdentifier.default("user_id"),
    tenantColumn: sqlIdentifier,
    roleColumn: sqlIdentifier.optional(),
    /** Values of `roleColumn` that let a member add members to its tenant. */
    adminRoles: z
      .array(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "expected a lowercase role name"))
      .min(1)
      .optional(),
  })
  .strict();

/** Rows belong to one user: `column = auth.uid()`. */
const ownerModel = z.object({ model: z.literal("owner"), column: sqlIdentifier }).strict();

const policySchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_ ]{0,62}$/, "expected a policy name of lowercase words"),
    command: z.enum(["select", "insert", "update", "delete", "all"]),
    roles: z.array(z.enum(["anon", "authenticated", "service_role"])).min(1),
    using: z.string().min(1).optional(),
    withCheck: z.string().min(1).optional(),
  })
  .strict();

/** Hand-written policies, for tables neither model fits. */
const policiesModel = z
  .object({ model: z.literal("policies"), policies: z.array(policySchema).min(1) })
  .strict();

/** Only the service role reaches the rows (platform and back-office tables). */
const serviceOnlyModel = z.object({ model: z.literal("service-only") }).strict();

export const rlsSchema = z.discriminatedUnion("model", [
  tenantModel,
  membershipModel,
  ownerModel,
  policiesModel,
  serviceOnlyModel,
]);

export const tableSchema = z
  .object({
    /** Key columns and their types; enough to create stand-in tables for a rehearsal. */
    columns: z
      .record(sqlIdentifier, columnType)
      .refine((c) => Object.keys(c).length > 0, "expected at least one column"),
    primaryKey: sqlIdentifier.default("id"),
    rls: rlsSchema,
    /** Capture inserts, updates and deletes into `audit_logs`. */
    audit: z.boolean().default(true),
    /** The migration that creates the table (named in errors when it is missing). */
    migration: z.string().min(1).optional(),
  })
  .strict();

export const databaseSchema = z
  .object({
    /** `supabase`: roles anon/authenticated/service_role and storage exist; `postgres`: the stack creates equivalents. */
    flavor: z.enum(["supabase", "postgres"]).default("supabase"),
    /** Supabase API URL of this environment's project (public; wired into `NEXT_PUBLIC_SUPABASE_URL`). */
    supabaseUrl: httpsUrl.optional(),
    /** The Supabase project's settings (auth URLs, network, Data API); see schema/supabase.ts. */
    supabase: supabaseSettingsSchema.default(SUPABASE_SETTINGS_DEFAULT),
    /** Stack secret holding the admin connection string the stack manages roles and policies with. */
    adminUrlSecret: envName.default("DATABASE_ADMIN_URL"),
    tables: z.record(sqlIdentifier, tableSchema),
    /** Platform tables the seed documents describe. */
    platformTables: z.array(z.enum(["audit_logs", "qa_reports", "backup_metadata"])).default(["audit_logs"]),
    backups: z
      .object({ daily: z.boolean().default(true), pointInTimeRecovery: z.boolean().default(false) })
      .strict()
      .default({ daily: true, pointInTimeRecovery: false }),
    /** The runtime role may create temporary tables (no app login may otherwise). */
    temporaryTables: z.boolean().default(false),
    /** Connections the application runtime role may hold. */
    connectionLimit: z.number().int().min(1).max(500).default(20),
    statementTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
  })
  .strict();

export type DatabaseSpec = z.infer<typeof databaseSchema>;
export type TableSpec = z.infer<typeof tableSchema>;
export type RlsSpec = z.infer<typeof rlsSchema>;
