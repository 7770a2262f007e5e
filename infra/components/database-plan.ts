/**
 * What an app's database layer is made of, as plain data in apply order. The Database component
 * declares one resource per step; `launchpad sql` prints each step's SQL and `launchpad rehearse`
 * applies the steps to a real Postgres, so the three never disagree about what the layer is.
 */
import type { AppSpec, DatabaseSpec, EnvironmentProfile, TableSpec } from "../config";
import {
  purgeCommand,
  snapshotCleanupCommand,
  snapshotCommand,
  SNAPSHOT_SCHEMA,
} from "../providers/postgres/sql";
import type {
  BucketSpec,
  CronJobSpec,
  PlatformTablesSpec,
  PolicySpec,
  RlsModel,
} from "../providers/postgres/types";

/** The login roles the stack creates for each app database. */
export const ROLE_KEYS = ["migrator", "runtime", "analytics"] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

/** Who a dynamic resource connects as: the admin URL, or the migrator, which owns the app's tables. */
export type Connection = "admin" | "migrator";

/** Arguments of a `postgresql.Role`, every power spelled out so a review sees them. */
export interface RoleDeclaration {
  readonly name: string;
  readonly login: true;
  readonly connectionLimit: number;
  /** Milliseconds. */
  readonly statementTimeout: number;
  readonly superuser: false;
  readonly createDatabase: false;
  readonly createRole: false;
  readonly replication: false;
  readonly bypassRowLevelSecurity: false;
  readonly inherit: true;
  /** Roles this role is made a member of. */
  readonly roles: readonly string[];
}

/** Arguments of a `postgresql.Grant` (the database is the admin URL's). */
export interface GrantDeclaration {
  /** A role, or `public` for every role. */
  readonly role: string;
  /** The schema granted on (objectType `schema`), or holding the objects; absent for `database`. */
  readonly schema?: string;
  readonly objectType: "database" | "schema" | "table" | "sequence";
  readonly privileges: readonly string[];
  /** Named objects; every object of that type in the schema when absent. */
  readonly objects?: readonly string[];
}

/** Arguments of a `postgresql.DefaultPrivileges`: objects `owner` creates later get these grants. */
export interface DefaultPrivilegesDeclaration {
  /** A role, or `public` for every role. */
  readonly role: string;
  readonly owner: string;
  /**
   * The schema the defaults apply in; absent for the owner's global defaults, the only ones that
   * can take away what Postgres grants by default (EXECUTE on functions to PUBLIC).
   */
  readonly schema?: string;
  readonly objectType: "table" | "sequence" | "function";
  /** Empty: the role gets nothing on new objects (everything granted by default is revoked). */
  readonly privileges: readonly string[];
}

/** A step that needs the pg_cron extension on the server (a rehearsal without it skips them). */
interface Requires {
  requires?: "pg_cron";
}

export type DatabaseStep = Requires &
  (
    | { kind: "supabase-compat"; id: string; connection: Connection; inputs: { storage: boolean } }
    | { kind: "role"; id: string; role: RoleKey; args: RoleDeclaration }
    | { kind: "grant"; id: string; args: GrantDeclaration }
    | { kind: "default-privileges"; id: string; args: DefaultPrivilegesDeclaration }
    | { kind: "schema"; id: string; args: { name: string; owner: string } }
    | { kind: "extension"; id: string; args: { name: string } }
    | { kind: "table-rls"; id: string; connection: Connection; inputs: TableRlsDeclaration }
    | { kind: "platform-tables"; id: string; connection: Connection; inputs: PlatformTablesSpec }
    | { kind: "storage-bucket"; id: string; connection: Connection; inputs: BucketSpec }
    | { kind: "cron-job"; id: string; connection: Connection; inputs: CronJobSpec; action: JobAction }
  );

/** What a job's command does, retention resolved against the profile (for review and rehearsal). */
export type JobAction =
  | { kind: "purge"; table: string; column: string; retentionDays: number }
  | { kind: "snapshot"; table: string; bucket?: string }
  | { kind: "snapshot-cleanup"; retentionDays: number };

export interface TableRlsDeclaration {
  readonly table: string;
  readonly rls: RlsModel;
  readonly additionalPolicies?: readonly PolicySpec[];
  readonly migration?: string;
}

export interface DatabasePlan {
  readonly app: string;
  readonly flavor: DatabaseSpec["flavor"];
  readonly roles: Readonly<Record<RoleKey, RoleDeclaration>>;
  readonly steps: readonly DatabaseStep[];
}

export interface DatabasePlanArgs {
  /** The app's name in the catalog. */
  readonly app: string;
  readonly database: DatabaseSpec;
  readonly buckets: AppSpec["buckets"];
  readonly jobs: AppSpec["jobs"];
  readonly environment: EnvironmentProfile;
}

const DML = ["SELECT", "INSERT", "UPDATE", "DELETE"];
/** Migrations may rewrite large tables; analytics queries scan. Both stay bounded. */
const MIGRATOR_TIMEOUT_MS = 600_000;
const ANALYTICS_TIMEOUT_MS = 120_000;
const SIDE_ROLE_CONNECTIONS = 5;

/** Role names are identifiers (policies name them), carrying the app and the environment. */
export function roleName(app: string, environment: EnvironmentProfile, key: RoleKey): string {
  return `${app.replace(/-/g, "_")}_${environment.name}_${key}`;
}

/** pg_cron job names are per database; they carry the app and environment like other physical names. */
export function cronJobName(app: string, environment: EnvironmentProfile, job: string): string {
  return `${app}-${environment.name}-${job}`;
}

/** The provider's model of a table; a tenant table takes its membership columns from the membership table. */
function rlsModel(spec: TableSpec, tables: DatabaseSpec["tables"]): RlsModel {
  const rls = spec.rls;
  switch (rls.model) {
    // service-only: RLS on and no policy, so only the service role (BYPASSRLS) reaches the rows.
    case "service-only":
      return { model: "policies", policies: [] };
    case "membership":
      return { ...rls, tenantType: spec.columns[rls.tenantColumn] ?? "uuid" };
    case "tenant": {
      const membership = tables[rls.membershipTable]?.rls;
      if (membership?.model !== "membership") {
        // The config rules report this with its key path before any plan is made.
        throw new Error(`${rls.membershipTable} is not declared as a membership table`);
      }
      return {
        ...rls,
        membershipUserColumn: membership.userColumn,
        membershipTenantColumn: membership.tenantColumn,
      };
    }
    default:
      return rls;
  }
}

function declareRoles(args: DatabasePlanArgs): Record<RoleKey, RoleDeclaration> {
  const { app, database, environment } = args;
  const userTables = Object.values(database.tables).some((t) => t.rls.model !== "service-only");
  const base = {
    login: true,
    superuser: false,
    createDatabase: false,
    createRole: false,
    replication: false,
    bypassRowLevelSecurity: false,
    inherit: true,
  } as const;
  return {
    migrator: {
      ...base,
      name: roleName(app, environment, "migrator"),
      connectionLimit: SIDE_ROLE_CONNECTIONS,
      statementTimeout: MIGRATOR_TIMEOUT_MS,
      roles: [],
    },
    runtime: {
      ...base,
      name: roleName(app, environment, "runtime"),
      connectionLimit: database.connectionLimit,
      statementTimeout: database.statementTimeoutMs,
      // The backend reaches RLS rows on a user's behalf the PostgREST way: SET ROLE authenticated
      // with the user's claims; as itself it sees none of them.
      roles: userTables ? ["authenticated"] : [],
    },
    analytics: {
      ...base,
      name: roleName(app, environment, "analytics"),
      connectionLimit: SIDE_ROLE_CONNECTIONS,
      statementTimeout: Math.max(ANALYTICS_TIMEOUT_MS, database.statementTimeoutMs),
      roles: [],
    },
  };
}

/** Policies the stack's own roles need on an app table: analytics reads, jobs read (and purge). */
function additionalPolicies(
  table: string,
  spec: TableSpec,
  args: DatabasePlanArgs,
  roles: Record<RoleKey, RoleDeclaration>,
): PolicySpec[] {
  const policies: PolicySpec[] = [];
  if (spec.rls.model !== "service-only") {
    policies.push({
      name: "analytics_read",
      command: "select",
      roles: [roles.analytics.name],
      using: "true",
    });
  }
  const jobs = Object.values(args.jobs).map((j) => j.action);
  // FORCE applies to the owner too: the jobs, which run as the migrator, need their own policies.
  if (jobs.some((a) => a.kind === "snapshot" && a.table === table)) {
    policies.push({ name: "snapshot_read", command: "select", roles: [roles.migrator.name], using: "true" });
  }
  for (const action of jobs) {
    if (action.kind !== "purge" || action.table !== table) continue;
    const days = action.retentionDays ?? args.environment.logRetentionDays;
    const expired = `"${action.column}" < now() - interval '${days} days'`;
    policies.push(
      { name: "purge_read", command: "select", roles: [roles.migrator.name], using: expired },
      { name: "purge_delete", command: "delete", roles: [roles.migrator.name], using: expired },
    );
  }
  return policies;
}

function jobAction(job: AppSpec["jobs"][string], args: DatabasePlanArgs): JobAction {
  const action = job.action;
  switch (action.kind) {
    case "purge": {
      const retentionDays = action.retentionDays ?? args.environment.logRetentionDays;
      return { kind: "purge", table: action.table, column: action.column, retentionDays };
    }
    case "snapshot":
      return { kind: "snapshot", table: action.table, ...(action.bucket ? { bucket: action.bucket } : {}) };
    case "snapshot-cleanup":
      return { kind: "snapshot-cleanup", retentionDays: args.environment.backupRetentionDays };
  }
}

function jobCommand(action: JobAction): string {
  switch (action.kind) {
    case "purge":
      return purgeCommand(action.table, action.column, action.retentionDays);
    case "snapshot":
      return snapshotCommand({ table: action.table, bucket: action.bucket });
    case "snapshot-cleanup":
      return snapshotCleanupCommand({ retentionDays: action.retentionDays });
  }
}

const MB = 1024 * 1024;

/** The database layer of one app in one environment, in apply order. */
export function databasePlan(args: DatabasePlanArgs): DatabasePlan {
  const { app, database, environment } = args;
  const roles = declareRoles(args);
  const { migrator, runtime, analytics } = roles;
  const steps: DatabaseStep[] = [];
  const grant = (id: string, g: GrantDeclaration) => steps.push({ kind: "grant", id, args: g });
  const defaults = (id: string, d: Omit<DefaultPrivilegesDeclaration, "owner" | "schema">) =>
    steps.push({ kind: "default-privileges", id, args: { ...d, owner: migrator.name, schema: "public" } });

  // On plain Postgres the API roles and auth helpers Supabase provides come first.
  if (database.flavor === "postgres") {
    steps.push({ kind: "supabase-compat", id: "compat", connection: "admin", inputs: { storage: false } });
  }
  for (const key of ["migrator", "runtime", "analytics"] as const) {
    steps.push({ kind: "role", id: key, role: key, args: roles[key] });
  }
  grant("migrator-schema", {
    role: migrator.name,
    schema: "public",
    objectType: "schema",
    privileges: ["CREATE", "USAGE"],
  });
  // Policies and the qa_reports default call auth.uid().
  grant("migrator-auth", {
    role: migrator.name,
    schema: "auth",
    objectType: "schema",
    privileges: ["USAGE"],
  });
  for (const [id, role] of [
    ["runtime-schema", runtime.name],
    ["analytics-schema", analytics.name],
    ["authenticated-schema", "authenticated"],
    ["service-role-schema", "service_role"],
  ] as const) {
    grant(id, { role, schema: "public", objectType: "schema", privileges: ["USAGE"] });
  }
  // No default privileges on tables: a table a later migration creates reaches no app role until
  // the catalog declares it (and so gives it RLS); the grants below name the declared tables.
  defaults("runtime-default-sequences", {
    role: runtime.name,
    objectType: "sequence",
    privileges: ["SELECT", "USAGE"],
  });
  // Functions the migrator creates later are executable by no one until granted (Postgres grants
  // EXECUTE to PUBLIC by default, and only the owner's global defaults can take that away).
  steps.push({
    kind: "default-privileges",
    id: "public-default-functions",
    args: { role: "public", owner: migrator.name, objectType: "function", privileges: [] },
  });
  // Temporary objects are how an app login would plant types, casts and triggers: PUBLIC keeps
  // CONNECT only; an app whose catalog asks for temporary tables gets TEMPORARY for its runtime.
  grant("database-public", { role: "public", objectType: "database", privileges: ["CONNECT"] });
  if (database.temporaryTables) {
    grant("runtime-temporary", {
      role: runtime.name,
      objectType: "database",
      privileges: ["CONNECT", "TEMPORARY"],
    });
  }
  grant("runtime-sequences", {
    role: runtime.name,
    schema: "public",
    objectType: "sequence",
    privileges: ["SELECT", "USAGE"],
  });

  const actions = Object.values(args.jobs).map((job) => job.action);
  if (actions.some((a) => a.kind === "snapshot")) {
    steps.push({ kind: "schema", id: "snapshots", args: { name: SNAPSHOT_SCHEMA, owner: migrator.name } });
  }
  for (const [table, spec] of Object.entries(database.tables)) {
    const extra = additionalPolicies(table, spec, args, roles);
    steps.push({
      kind: "table-rls",
      id: `rls-${table.replace(/_/g, "-")}`,
      connection: "migrator",
      inputs: {
        table,
        rls: rlsModel(spec, database.tables),
        ...(extra.length > 0 ? { additionalPolicies: extra } : {}),
        ...(spec.migration ? { migration: spec.migration } : {}),
      },
    });
  }
  const audited = Object.entries(database.tables).filter(([, spec]) => spec.audit);
  const migrations = [...new Set(audited.flatMap(([, spec]) => (spec.migration ? [spec.migration] : [])))];
  steps.push({
    kind: "platform-tables",
    id: "platform-tables",
    connection: "migrator",
    inputs: {
      tables: database.platformTables,
      auditedTables: audited.map(([table]) => table),
      ...(migrations.length > 0 ? { migration: migrations.join(", ") } : {}),
    },
  });

  // After the platform tables exist: every grant names the tables it covers.
  const declaredTables = [...Object.keys(database.tables), ...database.platformTables];
  grant("runtime-tables", {
    role: runtime.name,
    schema: "public",
    objectType: "table",
    privileges: DML,
    objects: declaredTables,
  });
  grant("analytics-tables", {
    role: analytics.name,
    schema: "public",
    objectType: "table",
    privileges: ["SELECT"],
    objects: declaredTables,
  });
  const userTables = Object.entries(database.tables).filter(([, s]) => s.rls.model !== "service-only");
  const reports = database.platformTables.includes("qa_reports") ? ["qa_reports"] : [];
  const forUsers = [...userTables.map(([table]) => table), ...reports];
  if (forUsers.length > 0) {
    grant("authenticated-tables", {
      role: "authenticated",
      schema: "public",
      objectType: "table",
      privileges: DML,
      objects: forUsers,
    });
  }
  grant("service-role-tables", {
    role: "service_role",
    schema: "public",
    objectType: "table",
    privileges: DML,
    objects: [...Object.keys(database.tables), ...database.platformTables],
  });

  for (const [bucket, spec] of Object.entries(args.buckets)) {
    steps.push({
      kind: "storage-bucket",
      id: `bucket-${bucket}`,
      connection: "admin",
      inputs: {
        id: bucket,
        public: spec.public,
        fileSizeLimit: spec.fileSizeLimitMb * MB,
        ...(spec.allowedMimeTypes.length > 0 ? { allowedMimeTypes: spec.allowedMimeTypes } : {}),
        // No access rules: only the service role (BYPASSRLS) reaches a private bucket's objects.
        access: [],
      },
    });
  }

  const jobs = Object.entries(args.jobs);
  if (jobs.length > 0) {
    steps.push({ kind: "extension", id: "pg-cron", args: { name: "pg_cron" }, requires: "pg_cron" });
    // Jobs run as the role that scheduled them: the migrator, which owns the tables they touch.
    steps.push({
      kind: "grant",
      id: "migrator-cron",
      args: { role: migrator.name, schema: "cron", objectType: "schema", privileges: ["USAGE"] },
      requires: "pg_cron",
    });
  }
  for (const [job, spec] of jobs) {
    const action = jobAction(spec, args);
    steps.push({
      kind: "cron-job",
      id: `job-${job}`,
      connection: "migrator",
      inputs: {
        jobName: cronJobName(app, environment, job),
        schedule: spec.schedule,
        command: jobCommand(action),
      },
      action,
      requires: "pg_cron",
    });
  }
  return { app, flavor: database.flavor, roles, steps };
}
