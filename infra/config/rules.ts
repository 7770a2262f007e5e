import type { KeyPath } from "./key-paths";
import { FLY_GPU_REGIONS, PUBLIC_ENV_NAME, STACK_NAMES, type AppSpec, type PlatformSpec } from "./schema";

/** A name valid in one stack must be valid in all: the longest stack name bounds physical names. */
const LONGEST_STACK_NAME = [...STACK_NAMES].sort((a, b) => b.length - a.length)[0]!;

export interface RuleIssue {
  path: KeyPath;
  message: string;
}

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

/** Rules zod cannot see on one field: references between parts of an app. */
function appRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = (...path: Array<string | number>): KeyPath => ["apps", name, ...path];
  const tables = app.database?.tables ?? {};
  const platformTables = new Set<string>(app.database?.platformTables ?? []);

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
    if (rls.model === "tenant") {
      const membership = tables[rls.membershipTable];
      if (!membership) {
        issues.push({
          path: at("database", "tables", table, "rls", "membershipTable"),
          message: `table "${rls.membershipTable}" is not declared in database.tables`,
        });
      } else {
        for (const key of ["membershipUserColumn", "membershipTenantColumn"] as const) {
          if (!(rls[key] in membership.columns)) {
            issues.push({
              path: at("database", "tables", table, "rls", key),
              message: `column "${rls[key]}" is not declared in table "${rls.membershipTable}"`,
            });
          }
        }
      }
    }
  }

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
  for (const job of Object.keys(app.jobs)) {
    // pg_cron job names carry the app and the environment: `<app>-<env>-<job>`, at most 63 characters.
    if (`${name}-prod-${job}`.length > MAX_CRON_JOB_NAME) {
      issues.push({
        path: at("jobs", job),
        message: `the job's pg_cron name, ${name}-<environment>-${job}, must fit in ${MAX_CRON_JOB_NAME} characters`,
      });
    }
  }

  for (const [service, spec] of Object.entries(app.services)) {
    if (spec.kind === "web" && spec.port === undefined) {
      issues.push({
        path: at("services", service, "port"),
        message: "required for a web service (the port the process listens on)",
      });
    }
    // Each service is a Fly app `<app>-<service>-<stack>`, and Fly app names stop at 63 characters.
    const flyName = `${name}-${service}-${LONGEST_STACK_NAME}`;
    if (flyName.length > 63) {
      issues.push({
        path: at("services", service),
        message: `its Fly app name "${flyName}" would be longer than 63 characters; shorten the service name`,
      });
    }
    if (spec.memoryMb !== undefined && spec.maxMemoryMb !== undefined && spec.memoryMb > spec.maxMemoryMb) {
      issues.push({
        path: at("services", service, "memoryMb"),
        message: `expected a number ≤ ${spec.maxMemoryMb} (the service's maxMemoryMb), got ${spec.memoryMb}`,
      });
    }
    if (spec.passwordSecret !== undefined && !spec.secrets.includes(spec.passwordSecret)) {
      issues.push({
        path: at("services", service, "passwordSecret"),
        message: `"${spec.passwordSecret}" must also be in the service's secrets: the service checks it`,
      });
    }
    for (const [variable, value] of Object.entries(spec.env)) {
      if (typeof value === "string") continue;
      if (value.from === "databaseUrl" && !app.database) {
        issues.push({
          path: at("services", service, "env", variable),
          message: "wired from the database, but the app declares no database",
        });
      }
      if (value.from === "serviceUrl") {
        const target = app.services[value.service];
        // A private address is `<fly app>.internal:<port>`: the target must run and listen on a port.
        const problem = !target
          ? `service "${value.service}" is not declared in services`
          : spec.enabled && !target.enabled
            ? `service "${value.service}" is disabled, so it has no address`
            : target.port === undefined
              ? `service "${value.service}" listens on no port (set its port)`
              : undefined;
        if (problem)
          issues.push({ path: at("services", service, "env", variable, "service"), message: problem });
      }
    }
  }

  for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
    if (typeof value === "string") continue;
    if (
      value.from === "backendUrl" &&
      !Object.values(app.services).some((s) => s.enabled && s.kind === "web" && s.public !== false)
    ) {
      issues.push({
        path: at("frontend", "publicEnv", variable),
        message: "wired from the backend URL, but the app declares no enabled public web service",
      });
    }
    if (value.from === "supabaseUrl" && !app.database?.supabaseUrl) {
      issues.push({
        path: at("frontend", "publicEnv", variable),
        message: "wired from the Supabase URL, but database.supabaseUrl is not set for this stack",
      });
    }
  }
  return issues;
}

/** Names that say "secret": a public variable so named is a leak waiting to happen. */
const SECRET_NAME = /(SERVICE_ROLE|SERVICE_KEY|SECRET|PASSWORD|PRIVATE_KEY)/;

/** True for a JWT whose payload claims Supabase's `service_role` (the key that bypasses RLS). */
export function isServiceRoleJwt(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 3) return false;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    return (
      typeof payload === "object" && payload !== null && "role" in payload && payload.role === "service_role"
    );
  } catch {
    return false;
  }
}

/**
 * A service-role key (or any secret) must never reach the browser: public variables are inlined into
 * the bundle. Messages name the variable, never its value.
 */
function frontendSecretRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = (...path: Array<string | number>): KeyPath => ["apps", name, "frontend", ...path];
  (app.frontend?.secretEnv ?? []).forEach((variable, index) => {
    if (PUBLIC_ENV_NAME.test(variable)) {
      issues.push({
        path: at("secretEnv", index),
        message: `"${variable}" has a public prefix, so its secret value would be inlined into the browser bundle; use a server-only name`,
      });
    }
  });
  for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
    if (SECRET_NAME.test(variable)) {
      issues.push({
        path: at("publicEnv", variable),
        message:
          "names a secret (service-role key, password, private key); public variables are inlined into the browser bundle",
      });
    } else if (typeof value === "string" && isServiceRoleJwt(value)) {
      issues.push({
        path: at("publicEnv", variable),
        message:
          "holds a Supabase service-role key (value not shown); it bypasses RLS and must never be public",
      });
    }
  }
  return issues;
}

/**
 * A GPU service runs where Fly has its GPU: its own region, or the environment's default one. Checked for
 * enabled services and for any that names a region, so a catalog entry is right before a stack enables it.
 */
function gpuRegionRules(platform: PlatformSpec): RuleIssue[] {
  return Object.entries(platform.apps).flatMap(([name, app]) =>
    Object.entries(app.services).flatMap(([service, spec]): RuleIssue[] => {
      if (spec.gpu === undefined || (!spec.enabled && spec.region === undefined)) return [];
      const region = spec.region ?? platform.environment.defaults.region;
      const regions = FLY_GPU_REGIONS[spec.gpu];
      if (regions.includes(region)) return [];
      const from = spec.region === undefined ? " (the environment's default region)" : "";
      return [
        {
          path: ["apps", name, "services", service, "region"],
          message: `Fly offers ${spec.gpu} GPUs only in ${regions.join(", ")}; got "${region}"${from}: set the region to one of them`,
        },
      ];
    }),
  );
}

function environmentRules(platform: PlatformSpec, stack: string): RuleIssue[] {
  if (platform.environment.name === stack) return [];
  return [
    {
      path: ["environment", "name"],
      message: `expected "${stack}" (the stack this file configures), got "${platform.environment.name}"`,
    },
  ];
}

/** Every cross-field rule, over an already schema-valid platform. */
export function crossFieldIssues(platform: PlatformSpec, stack: string): RuleIssue[] {
  return [
    ...environmentRules(platform, stack),
    ...gpuRegionRules(platform),
    ...Object.entries(platform.apps).flatMap(([name, app]) => [
      ...appRules(name, app),
      ...frontendSecretRules(name, app),
    ]),
  ];
}

/** Secret values by app, then name; `undefined` where the value cannot be read (encrypted, offline). */
export type SecretValueMap = Record<string, Record<string, string | undefined>>;

/**
 * Rules on secret values, checked once they are known. Messages name the config key, never the value.
 * - a database's admin connection string is a postgresql:// URL that does not turn TLS off;
 * - the alerts webhook is an https URL (it carries a Discord token: never over plain http);
 * - no public variable's literal equals one of the app's secrets.
 */
export function secretValueIssues(platform: PlatformSpec, values: SecretValueMap): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const [name, app] of Object.entries(platform.apps)) {
    const secrets = values[name] ?? {};
    const adminUrl = app.database && secrets[app.database.adminUrlSecret];
    const adminUrlProblem = adminUrl === undefined ? undefined : databaseUrlProblem(adminUrl);
    if (app.database && adminUrlProblem) {
      issues.push({ path: ["secrets", name, app.database.adminUrlSecret], message: adminUrlProblem });
    }
    const webhook = secrets[app.alerts.webhookSecret];
    if (webhook !== undefined && !isHttpsUrl(webhook)) {
      issues.push({
        path: ["secrets", name, app.alerts.webhookSecret],
        message: "expected an https:// webhook URL (value not shown); a webhook URL embeds its token",
      });
    }
    for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
      if (typeof value !== "string" || value === "") continue;
      const leaked = Object.entries(secrets).find(([, secret]) => secret === value);
      if (leaked) {
        issues.push({
          path: ["apps", name, "frontend", "publicEnv", variable],
          message: `its value is the secret ${leaked[0]}; public variables are inlined into the browser bundle`,
        });
      }
    }
  }
  return issues;
}

/** sslmode values that do not insist on TLS. */
const WEAK_SSLMODES = ["disable", "allow", "prefer"];

/**
 * Why an admin connection string is unusable, or undefined when it is fine. The messages never
 * quote the value: it carries a password.
 */
export function databaseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected a postgresql://user:password@host:port/database URL (value not shown)";
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    return "expected a postgresql:// URL (value not shown)";
  }
  if (!url.hostname || !url.username || url.pathname.length <= 1) {
    return "expected a user, a host and a database in the URL (value not shown)";
  }
  const mode = url.searchParams.get("sslmode");
  if (mode !== null && WEAK_SSLMODES.includes(mode)) {
    return `sslmode=${mode} does not require TLS; use require, verify-ca or verify-full (value not shown)`;
  }
  return undefined;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
