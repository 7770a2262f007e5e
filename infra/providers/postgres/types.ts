/**
 * The typed model the Postgres dynamic providers and their SQL generators work from.
 * Plain data: the Database component maps the app catalog onto these shapes.
 */

/** A table reference written `table` (schema `public`) or `schema.table`. */
export type TableRef = string;

/** A resolved, validated table name. */
export interface TableName {
  readonly schema: string;
  readonly table: string;
}

export type PolicyCommand = "select" | "insert" | "update" | "delete" | "all";

/** One explicit policy, Supabase style: `TO` named roles, expressions without the surrounding parentheses. */
export interface PolicySpec {
  readonly name: string;
  readonly command: PolicyCommand;
  /** Roles the policy applies to; never `public`. */
  readonly roles: readonly string[];
  /** Rows visible / targetable (SELECT, UPDATE, DELETE, ALL). */
  readonly using?: string;
  /** Rows that may be written (INSERT, UPDATE, ALL). */
  readonly withCheck?: string;
}

/** Rows visible when the current user is a member of the row's tenant. */
export interface TenantRlsModel {
  readonly model: "tenant";
  /** Column of the table holding the tenant id. */
  readonly column: string;
  /** Membership table, `table` or `schema.table`, mapping users to tenants. */
  readonly membershipTable: TableRef;
  readonly membershipUserColumn: string;
  readonly membershipTenantColumn: string;
  /** Roles the generated policies apply to; default `["authenticated"]`. */
  readonly roles?: readonly string[];
}

/** Rows visible when `column = auth.uid()`. */
export interface OwnerRlsModel {
  readonly model: "owner";
  readonly column: string;
  /** Roles the generated policies apply to; default `["authenticated"]`. */
  readonly roles?: readonly string[];
}

export interface ExplicitRlsModel {
  readonly model: "policies";
  readonly policies: readonly PolicySpec[];
}

/**
 * The table that grants tenancy. Members read their own memberships; with `adminRoles`, a member
 * holding one of them adds members to its own tenant (checked by a helper function, so no policy
 * of the table reads the table itself); updates and deletes are the service role's.
 */
export interface MembershipRlsModel {
  readonly model: "membership";
  readonly userColumn: string;
  readonly tenantColumn: string;
  /** SQL type of the tenant column, the helper function's argument type (`uuid`, `text`, `bigint`…). */
  readonly tenantType: string;
  readonly roleColumn?: string;
  /** Values of `roleColumn` that let a member add members to its own tenant. */
  readonly adminRoles?: readonly string[];
}

export type RlsModel = TenantRlsModel | OwnerRlsModel | MembershipRlsModel | ExplicitRlsModel;

/** A fully generated policy: what `CREATE POLICY` is issued from and what its hash covers. */
export interface PolicyDefinition {
  readonly table: TableName;
  readonly name: string;
  readonly command: PolicyCommand;
  readonly roles: readonly string[];
  readonly using?: string;
  readonly withCheck?: string;
}

/** Commands a storage policy can grant on `storage.objects`. */
export type ObjectCommand = "select" | "insert" | "update" | "delete";

/** Who may do what with the objects of one bucket. */
export interface BucketAccessRule {
  readonly roles: readonly string[];
  readonly commands: readonly ObjectCommand[];
  /** Restrict to objects whose `owner_id` is the caller (`auth.uid()`). */
  readonly ownObjectsOnly?: boolean;
}

export interface BucketSpec {
  /** Bucket id (also its default name). */
  readonly id: string;
  readonly name?: string;
  /** Public buckets serve objects without a token; default false. */
  readonly public?: boolean;
  /** Maximum object size in bytes. */
  readonly fileSizeLimit?: number;
  readonly allowedMimeTypes?: readonly string[];
  /** Policies on `storage.objects` for this bucket; empty means only the service role (BYPASSRLS). */
  readonly access?: readonly BucketAccessRule[];
}

export interface CronJobSpec {
  /** Stable job name: re-scheduling under the same name replaces the job instead of adding one. */
  readonly jobName: string;
  /** Cron expression (`0 2 * * *`) or pg_cron interval (`30 seconds`). */
  readonly schedule: string;
  /** SQL the job runs. */
  readonly command: string;
}

export interface PlatformTablesSpec {
  /** Schema holding audit_logs, qa_reports and backup_metadata; default `public`. */
  readonly schema?: string;
  /** The platform tables to manage; default all three. Tables left out are not touched. */
  readonly tables?: readonly ("audit_logs" | "qa_reports" | "backup_metadata")[];
  /** App tables whose writes are recorded in audit_logs. */
  readonly auditedTables?: readonly TableRef[];
}
