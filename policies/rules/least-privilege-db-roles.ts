/**
 * Checklist 10 — least-privilege database roles: application roles hold no administrative power,
 * login roles are bounded (connections, statement time), and every connection requires TLS.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { POSTGRESQL, POSTGRES_DYNAMIC_TYPES } from "./lib/types";
import { MASKED_SECRET, num, settings, text, type Props } from "./lib/values";

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
  else if (args.type === POSTGRESQL.provider) provider(props, report);
  else if (POSTGRES_DYNAMIC_TYPES.includes(args.type)) connectionString(props, report);
}

export const leastPrivilegeDbRoles = resourceRule({
  name: "least-privilege-db-roles",
  description:
    "Database roles have no SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS; login roles set a " +
    "connection limit and a statement timeout; connections require TLS.",
  severity: "high",
  checklistItem: 10,
  remediationSteps: [
    "1. Declare application roles with login only, plus connectionLimit and statementTimeout from the catalog.",
    "2. Keep DDL in the migrator role and grant it ownership of the schema, not administrative powers.",
    "3. Configure the postgresql provider with sslmode: require and superuser: false.",
  ].join("\n"),
  resourceTypes: [POSTGRESQL.role, POSTGRESQL.provider, ...POSTGRES_DYNAMIC_TYPES],
  configSchema: {
    properties: {
      bypassRlsRoles: { type: "array", items: { type: "string" }, default: DEFAULTS.bypassRlsRoles },
    },
  },
  validateResource: validate,
});
