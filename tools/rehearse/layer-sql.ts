/**
 * The SQL an app's database layer amounts to, step by step in apply order: what `launchpad sql`
 * prints for a DBA and what `launchpad rehearse` runs for the registry resources (roles, grants,
 * schemas, extensions). Dynamic resources are shown through their providers' own review generators.
 */
import {
  ROLE_KEYS,
  type DatabasePlan,
  type DatabaseStep,
  type DefaultPrivilegesDeclaration,
  type GrantDeclaration,
  type RoleDeclaration,
  type RoleKey,
} from "../../infra/components/database-plan";
import { sql } from "../../infra/providers/postgres";

/** Stands in for every password in printed SQL. */
export const REDACTED = "[redacted]";

/** Type tokens, as `launchpad plan` shows them. */
export const STEP_TYPES: Record<DatabaseStep["kind"], string> = {
  "supabase-compat": "pulumi-nodejs:dynamic/postgres:SupabaseCompat",
  role: "postgresql:index/role:Role",
  grant: "postgresql:index/grant:Grant",
  "default-privileges": "postgresql:index/defaultPrivileges:DefaultPrivileges",
  schema: "postgresql:index/schema:Schema",
  extension: "postgresql:index/extension:Extension",
  "table-rls": "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity",
  "platform-tables": "pulumi-nodejs:dynamic/postgres:PlatformTables",
  "storage-bucket": "pulumi-nodejs:dynamic/postgres:StorageBucket",
  "cron-job": "pulumi-nodejs:dynamic/postgres:CronJob",
};

const ident = (name: string) => sql.quoteIdent(name, "identifier");
const roleIdent = (name: string) => sql.quoteIdent(name, "role");

function roleStatements(role: RoleDeclaration, password: string): string[] {
  const flags = [
    role.login ? "LOGIN" : "NOLOGIN",
    role.superuser ? "SUPERUSER" : "NOSUPERUSER",
    role.createDatabase ? "CREATEDB" : "NOCREATEDB",
    role.createRole ? "CREATEROLE" : "NOCREATEROLE",
    role.inherit ? "INHERIT" : "NOINHERIT",
    role.replication ? "REPLICATION" : "NOREPLICATION",
    role.bypassRowLevelSecurity ? "BYPASSRLS" : "NOBYPASSRLS",
    `CONNECTION LIMIT ${role.connectionLimit}`,
  ];
  return [
    `CREATE ROLE ${roleIdent(role.name)} WITH ${flags.join(" ")} PASSWORD ${sql.quoteLiteral(password)}`,
    `ALTER ROLE ${roleIdent(role.name)} SET statement_timeout TO ${role.statementTimeout}`,
    ...role.roles.map((member) => `GRANT ${roleIdent(member)} TO ${roleIdent(role.name)}`),
  ];
}

/** `public` is the PUBLIC pseudo-role, as the postgresql provider's quoted "public" means too. */
const grantee = (role: string) => (role === "public" ? "PUBLIC" : roleIdent(role));

/**
 * What the provider's Grant amounts to: everything the role held on the object revoked, then the
 * declared privileges granted, in one transaction (so reducing privileges works).
 */
function grantStatements(grant: GrantDeclaration): string[] {
  const privileges = grant.privileges.join(", ");
  const to = `TO ${grantee(grant.role)}`;
  if (grant.objectType === "database") {
    // The database is the admin URL's, known only at deploy time.
    const database = (verb: string) => `EXECUTE pg_catalog.format('${verb}', pg_catalog.current_database())`;
    return [
      `DO $grant$ BEGIN ${database(`REVOKE ALL ON DATABASE %I FROM ${grantee(grant.role)}`)}; ` +
        `${database(`GRANT ${privileges} ON DATABASE %I ${to}`)}; END $grant$`,
    ];
  }
  const schema = ident(grant.schema ?? "public");
  if (grant.objectType === "schema") return [`GRANT ${privileges} ON SCHEMA ${schema} ${to}`];
  const kind = grant.objectType === "table" ? "TABLE" : "SEQUENCE";
  if (!grant.objects) {
    return [`GRANT ${privileges} ON ALL ${kind}S IN SCHEMA ${schema} ${to}`];
  }
  const objects = grant.objects.map((o) => `${schema}.${ident(o)}`).join(", ");
  return [`GRANT ${privileges} ON ${kind} ${objects} ${to}`];
}

const DEFAULT_KINDS = { table: "TABLES", sequence: "SEQUENCES", function: "FUNCTIONS" } as const;

function defaultPrivilegesStatement(d: DefaultPrivilegesDeclaration): string {
  const scope = `ALTER DEFAULT PRIVILEGES FOR ROLE ${roleIdent(d.owner)}${d.schema ? ` IN SCHEMA ${ident(d.schema)}` : ""}`;
  const kind = DEFAULT_KINDS[d.objectType];
  if (d.privileges.length === 0) return `${scope} REVOKE ALL ON ${kind} FROM ${grantee(d.role)}`;
  return `${scope} GRANT ${d.privileges.join(", ")} ON ${kind} TO ${grantee(d.role)}`;
}

/**
 * The statements of one step. Role passwords are `[redacted]` unless given (a rehearsal sets its own);
 * dynamic steps show what their provider issues on an empty slate.
 */
export function stepStatements(
  step: DatabaseStep,
  plan: DatabasePlan,
  passwords?: Readonly<Record<RoleKey, string>>,
): string[] {
  switch (step.kind) {
    case "supabase-compat":
      return sql.supabaseCompatReview(step.inputs.storage);
    case "role":
      return roleStatements(step.args, passwords?.[step.role] ?? REDACTED);
    case "grant":
      return grantStatements(step.args);
    case "default-privileges":
      return [defaultPrivilegesStatement(step.args)];
    case "schema":
      return [
        `CREATE SCHEMA IF NOT EXISTS ${ident(step.args.name)} AUTHORIZATION ${roleIdent(step.args.owner)}`,
      ];
    case "extension":
      return [`CREATE EXTENSION IF NOT EXISTS ${ident(step.args.name)}`];
    case "table-rls":
      return sql.tableRlsReview(step.inputs.table, step.inputs.rls, step.inputs.additionalPolicies);
    case "platform-tables":
      // The tables are owned by, and the audit trigger runs as, the role that applies them.
      return sql.platformTablesReview(step.inputs, plan.roles.migrator.name);
    case "storage-bucket":
      return sql.storageBucketReview(step.inputs);
    case "cron-job":
      return sql.cronJobReview(step.inputs);
  }
}

/** Who a step's SQL runs as: the admin connection, or the migrator role. */
export function stepRunsAs(step: DatabaseStep, plan: DatabasePlan): string {
  const connection = "connection" in step ? step.connection : "admin";
  return connection === "migrator" ? plan.roles.migrator.name : "admin";
}

/** The whole layer as one script, for review: a comment per resource, then its statements. */
export function layerScript(plan: DatabasePlan, componentName: string, header: string[]): string {
  const lines = header.map((line) => `-- ${line}`);
  plan.steps.forEach((step, index) => {
    lines.push(
      "",
      `-- [${index + 1}] ${componentName}-${step.id}  ${STEP_TYPES[step.kind]}  (as ${stepRunsAs(step, plan)})`,
    );
    if (step.kind === "cron-job") lines.push(`-- ${describeJob(step)}`);
    for (const statement of stepStatements(step, plan)) lines.push(`${statement};`);
  });
  return `${lines.join("\n")}\n`;
}

function describeJob(step: Extract<DatabaseStep, { kind: "cron-job" }>): string {
  const action = step.action;
  switch (action.kind) {
    case "purge":
      return `deletes ${action.table} rows whose ${action.column} is older than ${action.retentionDays} days`;
    case "snapshot":
      return `copies ${action.table} into a dated table of schema ${sql.SNAPSHOT_SCHEMA}, recorded in backup_metadata`;
    case "snapshot-cleanup":
      return `drops snapshots older than ${action.retentionDays} days`;
  }
}

/** Every role of the plan, for code that walks them. */
export function planRoles(plan: DatabasePlan): RoleDeclaration[] {
  return ROLE_KEYS.map((key) => plan.roles[key]);
}
