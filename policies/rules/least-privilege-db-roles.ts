/**
 * Checklist 10 — least-privilege database roles: application roles hold no administrative power,
 * login roles are bounded (connections, statement time), and every connection requires TLS.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { POSTGRESQL, POSTGRES_DYNAMIC_TYPES } from "./lib/types";
import { list, MASKED_SECRET, num, settings, text, type Props } from "./lib/values";

const DEFAULTS = { bypassRlsRoles: ["service_role"] };

const TLS_MODES = ["require", "verify-ca", "verify-full"];

const POWERS: ReadonlyArray<readonly [string, string]> = [
  ["superuser", "SUPERUSER"],
  ["createRole", "CREATEROLE"],
  ["createDatabase", "CREATEDB"],
  ["replication", "REPLICATION"],
];

function role(props: Props, bypassRlsRoles: readonly string[], report: ReportViolation): void {
  const name = text(props["name"]) ?? "?";
  for (const [field, power] of POWERS) {
    if (props[field] === true) report(`role ${name} has ${power}`);
  }
  if (props["bypassRowLevelSecurity"] === true && !bypassRlsRoles.includes(name)) {
    report(`role ${name} has BYPASSRLS`);
  }
  if (props["login"] !== true) return;
  const limit = num(props["connectionLimit"]);
  if (limit === undefined || limit <= 0) report(`login role ${name} has no connection limit`);
  const timeout = num(props["statementTimeout"]);
  if (timeout === undefined || timeout <= 0) report(`login role ${name} has no statement timeout`);
}

/** Table privileges beyond reading and writing rows: schema-level power no application role needs. */
const TABLE_POWERS = ["TRUNCATE", "REFERENCES", "TRIGGER"];

/** Roles the Supabase API switches to for end users' requests. */
const API_ROLES = ["anon", "authenticated"];

function grant(props: Props, report: ReportViolation): void {
  const role = text(props["role"]) ?? "?";
  const on = text(props["objectType"]) ?? "?";
  const privileges = list(props["privileges"]).filter((p): p is string => typeof p === "string");
  // A Grant replaces the role's privileges (revoke, then grant): an empty list, or CONNECT alone on
  // the database, takes from PUBLIC what Postgres gives it by default.
  const narrowing =
    privileges.length === 0 || (on === "database" && privileges.every((p) => p.toUpperCase() === "CONNECT"));
  if (role.toLowerCase() === "public" && !narrowing) report(`${on} privileges are granted to PUBLIC`);
  if (privileges.some((p) => p.toUpperCase() === "ALL"))
    report(`ALL ${on} privileges are granted to ${role}`);
  if (on === "table") {
    const extra = privileges.filter((p) => TABLE_POWERS.includes(p.toUpperCase()));
    if (extra.length > 0) report(`${role} is granted ${extra.join(", ")} on tables`);
  }
  if (on === "schema" && API_ROLES.includes(role) && privileges.some((p) => p.toUpperCase() === "CREATE")) {
    report(`API role ${role} may create objects in the schema`);
  }
  if (props["withGrantOption"] === true)
    report(`${role} may pass its ${on} privileges on (WITH GRANT OPTION)`);
}

function provider(props: Props, report: ReportViolation): void {
  const mode = text(props["sslmode"]) ?? text(props["sslMode"]);
  if (!mode || !TLS_MODES.includes(mode)) {
    report(`the provider's sslmode is ${mode ?? "unset"}; expected one of ${TLS_MODES.join(", ")}`);
  }
  // The provider assumes a superuser unless told otherwise; managed databases give none.
  // Provider inputs travel as strings: `false` arrives as "false".
  if (props["superuser"] !== false && props["superuser"] !== "false") {
    report("the provider does not set superuser: false");
  }
}

function connectionString(props: Props, report: ReportViolation): void {
  const url = text(props["databaseUrl"]);
  if (url === undefined || url === MASKED_SECRET || !/^postgres(ql)?:\/\//.test(url)) return;
  const mode = /[?&]sslmode=([^&]+)/.exec(url)?.[1];
  if (!mode || !TLS_MODES.includes(mode))
    report(`databaseUrl does not require TLS (sslmode=${mode ?? "unset"})`);
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  if (args.type === POSTGRESQL.role) role(props, settings(args, DEFAULTS).bypassRlsRoles, report);
  else if (args.type === POSTGRESQL.grant || args.type === POSTGRESQL.defaultPrivileges) grant(props, report);
  else if (args.type === POSTGRESQL.provider) provider(props, report);
  else if (POSTGRES_DYNAMIC_TYPES.includes(args.type)) connectionString(props, report);
}

export const leastPrivilegeDbRoles = resourceRule({
  name: "least-privilege-db-roles",
  description:
    "Database roles have no SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS; login roles set a " +
    "connection limit and a statement timeout; grants stay row-level and never go to PUBLIC; connections " +
    "require TLS.",
  severity: "high",
  checklistItem: 10,
  remediationSteps: [
    "1. Declare application roles with login only, plus connectionLimit and statementTimeout from the catalog.",
    "2. Keep DDL in the migrator role and grant it ownership of the schema, not administrative powers.",
    "3. Grant application roles SELECT/INSERT/UPDATE/DELETE on their tables, never ALL, never to PUBLIC.",
    "4. Configure the postgresql provider with sslmode: require and superuser: false.",
  ].join("\n"),
  resourceTypes: [
    POSTGRESQL.role,
    POSTGRESQL.grant,
    POSTGRESQL.defaultPrivileges,
    POSTGRESQL.provider,
    ...POSTGRES_DYNAMIC_TYPES,
  ],
  configSchema: {
    properties: {
      bypassRlsRoles: { type: "array", items: { type: "string" }, default: DEFAULTS.bypassRlsRoles },
    },
  },
  validateResource: validate,
});
