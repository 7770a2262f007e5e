/**
 * The membership model's helper: `<schema>.<table>_admin_of(tenant)`, true when the caller holds an
 * admin role in that tenant. The membership table's INSERT policy calls it, so that policy never
 * reads the table it protects (Postgres refuses a policy that recurses into its own table).
 *
 * SECURITY INVOKER: it reads the membership table under the caller's own SELECT policy (a member
 * sees its own rows, which is all the check needs), so it grants nothing the caller lacks. plpgsql so
 * the planner never inlines it into the policy; search_path is empty and every type qualified, so
 * no object of the caller's (a temporary type, operator or function) can stand in for ours.
 */
import type { MembershipRlsModel, PolicyDefinition, TableName } from "../types";
import { displayName, qualifiedName, quoteIdent, quoteLiteral, quoteRole } from "./ident";
import { CURRENT_USER_ID } from "./current-user";

/** Tenant column types the helper's argument may take (the catalog's key types). */
const TENANT_TYPES = ["uuid", "text", "integer", "bigint", "numeric"] as const;

/** Roles that call the helper: the INSERT policy is `TO authenticated`. */
export const MEMBERSHIP_HELPER_ROLES = ["authenticated"] as const;

export interface MembershipHelper {
  readonly schema: string;
  readonly name: string;
  /** Argument type, as `pg_get_function_identity_arguments` prints it. */
  readonly argumentType: string;
}

export function membershipHelper(table: TableName, model: MembershipRlsModel): MembershipHelper {
  const where = `membership model of ${displayName(table)}`;
  if (!(TENANT_TYPES as readonly string[]).includes(model.tenantType)) {
    throw new Error(
      `${where}: tenant column type ${JSON.stringify(model.tenantType)} is not one of ${TENANT_TYPES.join(", ")}`,
    );
  }
  const name = `${table.table}_admin_of`;
  quoteIdent(name, `${where}: helper function name (the table name plus "_admin_of")`);
  return { schema: table.schema, name, argumentType: model.tenantType };
}

/** `schema.name(type)`, as GRANT, REVOKE and DROP name it. */
export function helperSignature(helper: MembershipHelper): string {
  return `${quoteIdent(helper.schema, "schema")}.${quoteIdent(helper.name, "function")}(pg_catalog.${helper.argumentType})`;
}

/** The call a policy makes, on the row's tenant column. */
export function helperCall(helper: MembershipHelper, column: string): string {
  return `${quoteIdent(helper.schema, "schema")}.${quoteIdent(helper.name, "function")}(${quoteIdent(column, "tenant column")})`;
}

/** The function body, compared with the installed `prosrc` to detect drift. */
export function membershipHelperBody(table: TableName, model: MembershipRlsModel): string {
  const roles = (model.adminRoles ?? []).map(quoteLiteral).join(", ");
  const role = quoteIdent(model.roleColumn ?? "", "role column");
  return `
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM ${qualifiedName(table)} m
     WHERE m.${quoteIdent(model.tenantColumn, "tenant column")} OPERATOR(pg_catalog.=) tenant
       AND m.${quoteIdent(model.userColumn, "user column")} OPERATOR(pg_catalog.=) ${CURRENT_USER_ID}
       AND m.${role}::pg_catalog.text OPERATOR(pg_catalog.=) ANY (ARRAY[${roles}]::pg_catalog.text[])
  );
END
`;
}

/** Creates the helper and leaves EXECUTE to the roles whose policies call it. */
export function membershipHelperStatements(table: TableName, model: MembershipRlsModel): string[] {
  const helper = membershipHelper(table, model);
  const signature = helperSignature(helper);
  return [
    `CREATE OR REPLACE FUNCTION ${quoteIdent(helper.schema, "schema")}.${quoteIdent(helper.name, "function")}` +
      `(tenant pg_catalog.${helper.argumentType}) RETURNS pg_catalog.bool LANGUAGE plpgsql STABLE ` +
      `SECURITY INVOKER SET search_path = '' AS $helper$${membershipHelperBody(table, model)}$helper$`,
    `REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${signature} TO ${MEMBERSHIP_HELPER_ROLES.map(quoteRole).join(", ")}`,
  ];
}

export function dropMembershipHelperSql(helper: MembershipHelper): string {
  return `DROP FUNCTION IF EXISTS ${helperSignature(helper)}`;
}

/** Whether the model lets tenant admins add members (and so needs the helper). */
export function hasAdmins(model: MembershipRlsModel): boolean {
  return (model.adminRoles ?? []).length > 0 && model.roleColumn !== undefined;
}

/**
 * A member reads its own memberships; an admin adds members to a tenant it administers (checked on
 * the new row, so it cannot add anyone, itself included, to another tenant). No UPDATE or DELETE
 * policy: moving a membership or changing a role is the service role's.
 */
export function membershipPolicies(table: TableName, model: MembershipRlsModel): PolicyDefinition[] {
  const own: PolicyDefinition = {
    table,
    name: `${table.table}_member_select`,
    command: "select",
    roles: ["authenticated"],
    using: `${quoteIdent(model.userColumn, "user column")} = ${CURRENT_USER_ID}`,
  };
  if (!hasAdmins(model)) return [own];
  const helper = membershipHelper(table, model);
  return [
    own,
    {
      table,
      name: `${table.table}_admin_insert`,
      command: "insert",
      roles: [...MEMBERSHIP_HELPER_ROLES],
      withCheck: helperCall(helper, model.tenantColumn),
    },
  ];
}
