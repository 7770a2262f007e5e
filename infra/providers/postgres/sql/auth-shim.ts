/**
 * Supabase compatibility for plain Postgres: the API roles and the `auth` helpers Supabase
 * provides, so the same policies run unchanged on both. Every statement is idempotent.
 */
import { quoteIdent, quoteLiteral } from "./ident";

/** The roles PostgREST switches to on Supabase. service_role bypasses RLS there, as here. */
export const API_ROLES = [
  { name: "anon", bypassRls: false },
  { name: "authenticated", bypassRls: false },
  { name: "service_role", bypassRls: true },
] as const;

export type ApiRole = (typeof API_ROLES)[number]["name"];

/**
 * Function bodies, kept as constants: the catalog stores `prosrc` verbatim, so comparing it with
 * these strings tells whether the installed helper is ours and current.
 */
export const AUTH_FUNCTIONS = {
  // Same lookup order as Supabase: the legacy single-claim setting, then the claims document.
  uid: {
    returns: "uuid",
    body: `
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
`,
  },
  role: {
    returns: "text",
    body: `
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
`,
  },
  jwt: {
    returns: "jsonb",
    body: `
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
`,
  },
} as const;

export type AuthFunction = keyof typeof AUTH_FUNCTIONS;

/** Creates a NOLOGIN role unless it exists (CREATE ROLE has no IF NOT EXISTS). */
export function createRoleSql(name: string, bypassRls: boolean): string {
  const options = bypassRls ? "NOLOGIN NOINHERIT BYPASSRLS" : "NOLOGIN NOINHERIT";
  return (
    `DO $role$ BEGIN ` +
    `IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(name)}) THEN ` +
    `CREATE ROLE ${quoteIdent(name, "role")} ${options}; END IF; END $role$`
  );
}

export function createAuthSchemaSql(): string {
  return "CREATE SCHEMA IF NOT EXISTS auth";
}

export function createAuthFunctionSql(name: AuthFunction): string {
  const fn = AUTH_FUNCTIONS[name];
  return (
    `CREATE OR REPLACE FUNCTION auth.${quoteIdent(name, "function")}() RETURNS ${fn.returns} ` +
    `LANGUAGE sql STABLE AS $fn$${fn.body}$fn$`
  );
}

export function apiRoleList(): string {
  return API_ROLES.map((role) => quoteIdent(role.name, "role")).join(", ");
}

export function grantAuthUsageStatements(): string[] {
  return [
    `GRANT USAGE ON SCHEMA auth TO ${apiRoleList()}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth TO ${apiRoleList()}`,
  ];
}

/** The whole auth shim in apply order. */
export function authShimStatements(): string[] {
  return [
    ...API_ROLES.map((role) => createRoleSql(role.name, role.bypassRls)),
    createAuthSchemaSql(),
    ...(Object.keys(AUTH_FUNCTIONS) as AuthFunction[]).map(createAuthFunctionSql),
    ...grantAuthUsageStatements(),
  ];
}
