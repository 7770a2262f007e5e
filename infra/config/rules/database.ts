import type { AppSpec, TableSpec } from "../schema";
import { appPath, type RuleIssue } from "./types";

/**
 * Timestamp columns of the platform tables the stack creates (see the PlatformTables provider): a
 * purge of a platform table must name one of them.
 */
export const PLATFORM_TABLE_TIMESTAMPS: Readonly<Record<string, readonly string[]>> = {
  audit_logs: ["occurred_at"],
  qa_reports: ["created_at"],
  backup_metadata: ["started_at", "finished_at"],
};

const MAX_CRON_JOB_NAME = 63;

/** Snapshots are named `<table>_YYYYMMDD_HHMMSS`, which must fit Postgres' 63-byte identifiers. */
export const MAX_SNAPSHOT_TABLE_LENGTH = 47;

/** Tables and their RLS models refer to columns and tables that exist. */
export function tableRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  const tables = app.database?.tables ?? {};
  for (const [table, spec] of Object.entries(tables)) {
    const rls = spec.rls;
    if (!(spec.primaryKey in spec.columns)) {
      issues.push({
        path: at("database", "tables", table, "primaryKey"),
        message: `column "${spec.primaryKey}" is not declared in the table's columns`,
      });
    }
    if (rls.model === "tenant" || rls.model === "owner") {
      if (!(rls.column in spec.columns)) {
        issues.push({
          path: at("database", "tables", table, "rls", "column"),
          message: `column "${rls.column}" is not declared in the table's columns`,
        });
      }
    }
    if (rls.model === "membership") issues.push(...membershipRules(table, spec, at));
    if (rls.model === "tenant") {
      const membership = tables[rls.membershipTable];
      if (!membership) {
        issues.push({
          path: at("database", "tables", table, "rls", "membershipTable"),
          message: `table "${rls.membershipTable}" is not declared in database.tables`,
        });
      } else if (membership.rls.model !== "membership") {
        // Any other model lets users write their own rows there, i.e. join any tenant.
        issues.push({
          path: at("database", "tables", table, "rls", "membershipTable"),
          message:
            `table "${rls.membershipTable}" grants tenancy but is declared with the "${membership.rls.model}" model: ` +
            `declare it with rls.model: membership (userColumn, tenantColumn) so members cannot write their own memberships`,
        });
      }
    }
  }

  return issues;
}

/** A membership table names columns it has, and admin roles only with the column holding them. */
function membershipRules(table: string, spec: TableSpec, at: ReturnType<typeof appPath>): RuleIssue[] {
  const rls = spec.rls;
  if (rls.model !== "membership") return [];
  const issues: RuleIssue[] = [];
  for (const key of ["userColumn", "tenantColumn", "roleColumn"] as const) {
    const column = rls[key];
    if (column !== undefined && !(column in spec.columns)) {
      issues.push({
        path: at("database", "tables", table, "rls", key),
        message: `column "${column}" is not declared in the table's columns`,
      });
    }
  }
  if (rls.userColumn === rls.tenantColumn) {
    issues.push({
      path: at("database", "tables", table, "rls", "tenantColumn"),
      message: "the tenant column must differ from the user column",
    });
  }
  if (rls.adminRoles && !rls.roleColumn) {
    issues.push({
      path: at("database", "tables", table, "rls", "adminRoles"),
      message: "admin roles are values of a role column: declare rls.roleColumn too",
    });
  }
  return issues;
}

/** Scheduled jobs name tables, columns and buckets that exist. */
export function jobRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  const tables = app.database?.tables ?? {};
  const platformTables = new Set<string>(app.database?.platformTables ?? []);
  for (const [job, spec] of Object.entries(app.jobs)) {
    if (!app.database) {
      issues.push({
        path: at("jobs", job),
        message: "scheduled jobs run in the app's database, but the app declares no database",
      });
      continue;
    }
    const action = spec.action;
    if (action.kind === "purge" || action.kind === "snapshot") {
      const known = action.table in tables || platformTables.has(action.table);
      if (!known)
        issues.push({
          path: at("jobs", job, "action", "table"),
          message: `table "${action.table}" is not declared in database.tables or database.platformTables`,
        });
      if (
        action.kind === "purge" &&
        action.table in tables &&
        !(action.column in tables[action.table]!.columns)
      ) {
        issues.push({
          path: at("jobs", job, "action", "column"),
          message: `column "${action.column}" is not declared in table "${action.table}"`,
        });
      }
      const timestamps = PLATFORM_TABLE_TIMESTAMPS[action.table];
      if (
        action.kind === "purge" &&
        !(action.table in tables) &&
        timestamps &&
        !timestamps.includes(action.column)
      ) {
        issues.push({
          path: at("jobs", job, "action", "column"),
          message: `platform table "${action.table}" has no column "${action.column}"; purge on ${timestamps.join(" or ")}`,
        });
      }
      if (action.kind === "snapshot" && action.table.length > MAX_SNAPSHOT_TABLE_LENGTH) {
        issues.push({
          path: at("jobs", job, "action", "table"),
          message: `snapshot tables are named <table>_YYYYMMDD_HHMMSS: the table name must be at most ${MAX_SNAPSHOT_TABLE_LENGTH} characters`,
        });
      }
    }
    if (action.kind === "snapshot" && action.bucket && !(action.bucket in app.buckets)) {
      issues.push({
        path: at("jobs", job, "action", "bucket"),
        message: `bucket "${action.bucket}" is not declared in buckets`,
      });
    }
    if (
      (action.kind === "snapshot" || action.kind === "snapshot-cleanup") &&
      !platformTables.has("backup_metadata")
    ) {
      issues.push({
        path: at("jobs", job, "action", "kind"),
        message: `"${action.kind}" records snapshots in backup_metadata: add it to database.platformTables`,
      });
    }
  }

  return issues;
}

/** Buckets live in Supabase storage, and their ids name storage policies. */
export function bucketRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  if (Object.keys(app.buckets).length > 0 && app.database?.flavor !== "supabase") {
    issues.push({
      path: at("buckets"),
      message: "storage buckets need a Supabase database (database.flavor: supabase)",
    });
  }
  for (const bucket of Object.keys(app.buckets)) {
    // The id prefixes the bucket's policy names on storage.objects, which the stack keeps to identifiers.
    if (!/^[a-z_][a-z0-9_]*$/.test(bucket)) {
      issues.push({
        path: at("buckets", bucket),
        message: "bucket ids name their storage policies: use lowercase letters, digits and underscores",
      });
    }
  }
  return issues;
}

/** pg_cron job names carry the app and the environment and must fit its 63 characters. */
export function jobNameRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  for (const job of Object.keys(app.jobs)) {
    // pg_cron job names carry the app and the environment: `<app>-<env>-<job>`, at most 63 characters.
    if (`${name}-prod-${job}`.length > MAX_CRON_JOB_NAME) {
      issues.push({
        path: at("jobs", job),
        message: `the job's pg_cron name, ${name}-<environment>-${job}, must fit in ${MAX_CRON_JOB_NAME} characters`,
      });
    }
  }

  return issues;
}
