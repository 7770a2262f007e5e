/**
 * The membership model's helper function as the database holds it: read back, compared with the
 * declaration (body, SECURITY INVOKER, pinned search_path, EXECUTE only for the roles whose
 * policies call it) and converged.
 */
import type { Session } from "./connection";
import { displayName } from "./sql/ident";
import {
  dropMembershipHelperSql,
  hasAdmins,
  MEMBERSHIP_HELPER_ROLES,
  membershipHelper,
  membershipHelperBody,
  membershipHelperStatements,
  type MembershipHelper,
} from "./sql/membership";
import type { RlsModel, TableName } from "./types";

export interface HelperObserved {
  /** Whether the function exists as declared, executable by no one but the named roles. */
  readonly current: boolean;
}

interface HelperRow {
  prosrc: string;
  prosecdef: boolean;
  config: string[] | null;
  executors: string[];
}

async function findHelper(session: Session, helper: MembershipHelper): Promise<HelperRow | undefined> {
  const rows = await session.query<HelperRow>(
    `SELECT p.prosrc, p.prosecdef, p.proconfig AS config,
            -- A NULL ACL is the default one: EXECUTE for PUBLIC.
            CASE WHEN p.proacl IS NULL THEN ARRAY['public']
                 ELSE ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
                              FROM pg_catalog.aclexplode(p.proacl) a
                             WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner ORDER BY 1)
            END AS executors
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.proname = $2
        AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3`,
    [helper.schema, helper.name, `tenant ${helper.argumentType}`],
  );
  return rows[0];
}

/** The helper the model needs, or undefined (no admins: no helper). */
export function helperOf(table: TableName, model: RlsModel): MembershipHelper | undefined {
  return model.model === "membership" && hasAdmins(model) ? membershipHelper(table, model) : undefined;
}

export async function readHelper(
  session: Session,
  table: TableName,
  model: RlsModel,
): Promise<HelperObserved | undefined> {
  const helper = helperOf(table, model);
  if (!helper || model.model !== "membership") return undefined;
  const row = await findHelper(session, helper);
  const current =
    row !== undefined &&
    row.prosrc === membershipHelperBody(table, model) &&
    !row.prosecdef &&
    (row.config ?? []).includes('search_path=""') &&
    JSON.stringify(row.executors) === JSON.stringify([...MEMBERSHIP_HELPER_ROLES].sort());
  return { current };
}

export function helperDrift(
  table: TableName,
  model: RlsModel,
  observed: HelperObserved | undefined,
): string[] {
  const helper = helperOf(table, model);
  if (!helper) return [];
  return observed?.current
    ? []
    : [
        `${displayName(table)}: membership helper ${helper.name}() is missing, modified or executable by other roles`,
      ];
}

/** Creates or repairs the helper; the policies calling it are created afterwards. */
export async function convergeHelper(session: Session, table: TableName, model: RlsModel): Promise<void> {
  if (model.model !== "membership" || !helperOf(table, model)) return;
  if ((await readHelper(session, table, model))?.current) return;
  for (const statement of membershipHelperStatements(table, model)) {
    await session.change(statement, `membership helper of ${displayName(table)}`);
  }
}

/** Drops the helper once no policy calls it. */
export async function removeHelper(session: Session, table: TableName, model: RlsModel): Promise<void> {
  const helper = helperOf(table, model);
  if (helper && (await findHelper(session, helper))) {
    await session.change(
      dropMembershipHelperSql(helper),
      `removing membership helper of ${displayName(table)}`,
    );
  }
}
