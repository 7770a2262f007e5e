/**
 * Reading a table's RLS state back from the catalogs, comparing it with the declared state, and
 * converging it. Converging issues only the statements that differ, so re-applying an unchanged
 * declaration issues none.
 */
import { findTable, functionSource, readPolicies, readPolicyHashes, requireTable } from "./catalog";
import type { Session } from "./connection";
import { displayName } from "./sql/ident";
import {
  commentPolicySql,
  createPolicySql,
  dropPolicySql,
  enableRlsSql,
  forceRlsSql,
  policyFingerprint,
  policyHash,
} from "./sql/rls";
import type { PolicyDefinition, TableName } from "./types";

/** RLS as read from pg_class and pg_policy (+ our hash comments). */
export interface RlsObserved {
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  /** Policy name → definition hash from its comment (null: the policy carries no hash of ours). */
  readonly policies: Record<string, string | null>;
}

export interface RlsDesired {
  readonly table: TableName;
  readonly policies: readonly PolicyDefinition[];
  /** Whether ENABLE + FORCE are managed (false for tables we do not own, like storage.objects). */
  readonly manageFlags: boolean;
  /** Only policies whose name starts with this are managed; all of the table's when undefined. */
  readonly policyPrefix?: string;
  /** Named in the missing-table error. */
  readonly migration?: string;
}

function managed(name: string, prefix: string | undefined): boolean {
  return prefix === undefined || name.startsWith(prefix);
}

/** What converging would produce: the state `read` should find afterwards. */
export function expectedRls(desired: RlsDesired): RlsObserved {
  const policies: Record<string, string | null> = {};
  for (const policy of desired.policies) policies[policy.name] = policyHash(policy);
  return { rlsEnabled: true, rlsForced: true, policies };
}

export async function readRls(
  session: Session,
  table: TableName,
  prefix?: string,
): Promise<RlsObserved | undefined> {
  const state = await findTable(session, table);
  if (!state) return undefined;
  const all = await readPolicyHashes(session, state.oid);
  const policies: Record<string, string | null> = {};
  for (const [name, hash] of Object.entries(all)) if (managed(name, prefix)) policies[name] = hash;
  return { rlsEnabled: state.rlsEnabled, rlsForced: state.rlsForced, policies };
}

/** Human-readable differences between the observed and the declared state; empty when in sync. */
export function rlsDrift(observed: RlsObserved | undefined, desired: RlsDesired): string[] {
  const where = displayName(desired.table);
  if (!observed) return [`${where}: table not found`];
  const drift: string[] = [];
  if (desired.manageFlags && !observed.rlsEnabled) drift.push(`${where}: row level security is disabled`);
  if (desired.manageFlags && !observed.rlsForced) drift.push(`${where}: row level security is not forced`);
  const wanted = expectedRls(desired).policies;
  for (const [name, hash] of Object.entries(wanted)) {
    if (!(name in observed.policies)) drift.push(`${where}: policy "${name}" is missing`);
    else if (observed.policies[name] !== hash)
      drift.push(`${where}: policy "${name}" differs from its declaration or was edited by hand`);
  }
  for (const name of Object.keys(observed.policies)) {
    if (managed(name, desired.policyPrefix) && !(name in wanted)) {
      drift.push(`${where}: policy "${name}" is not declared`);
    }
  }
  return drift;
}

/** Policies calling auth.uid() need Supabase's helper, or SupabaseCompat's on plain Postgres. */
async function requireAuthHelpers(session: Session, policies: readonly PolicyDefinition[], where: string) {
  const calls = policies.some((p) => `${p.using ?? ""} ${p.withCheck ?? ""}`.includes("auth.uid()"));
  if (calls && !(await functionSource(session, "auth", "uid"))) {
    throw new Error(
      `${where}: auth.uid() does not exist. Supabase provides it; on plain Postgres declare SupabaseCompat first.`,
    );
  }
}

/** Brings the table to the declared state; the table itself must exist. */
export async function convergeRls(session: Session, desired: RlsDesired, purpose: string): Promise<void> {
  const { table } = desired;
  const state = await requireTable(session, table, purpose, desired.migration);
  const where = `${purpose} on ${displayName(table)}`;
  await requireAuthHelpers(session, desired.policies, where);
  if (desired.manageFlags && !state.rlsEnabled) await session.change(enableRlsSql(table), where);
  if (desired.manageFlags && !state.rlsForced) await session.change(forceRlsSql(table), where);
  const live = await readPolicyHashes(session, state.oid);
  const wanted = new Map(desired.policies.map((policy) => [policy.name, policy]));
  // Undeclared policies can only widen access (permissive policies are OR-ed): remove them.
  for (const name of Object.keys(live)) {
    if (managed(name, desired.policyPrefix) && !wanted.has(name)) {
      await session.change(dropPolicySql(table, name), `${where}: dropping undeclared policy "${name}"`);
    }
  }
  for (const policy of desired.policies) {
    if (live[policy.name] === policyHash(policy)) continue;
    const context = `${where}: policy "${policy.name}"`;
    // ALTER POLICY cannot change the command; recreate inside the same transaction instead.
    if (policy.name in live) await session.change(dropPolicySql(table, policy.name), context);
    await session.change(createPolicySql(policy), context);
    const [created] = await readPolicies(session, state.oid, policy.name);
    await session.change(commentPolicySql(policy, created && policyFingerprint(created)), context);
  }
}

/**
 * Removes the managed policies. RLS stays enabled and forced: a table left without policies denies
 * everyone but the service role, where turning RLS off would expose every row to the API roles.
 */
export async function removeRls(
  session: Session,
  table: TableName,
  prefix: string | undefined,
  purpose: string,
) {
  const state = await findTable(session, table);
  if (!state) return;
  const live = await readPolicyHashes(session, state.oid);
  for (const name of Object.keys(live)) {
    if (managed(name, prefix))
      await session.change(dropPolicySql(table, name), `${purpose}: policy "${name}"`);
  }
}
