/**
 * The attack suite of one app's applied layer: the row attacks and the escalation attacks, with
 * the objects a later migration would create standing for the duration (removed afterwards).
 */
import { runAttacks, type AttackGroup } from "./attack";
import { dropFutureObjectStatements, escalationGroups, futureObjectStatements } from "./attacks-escalation";
import { membershipControls, rowAttackGroups, type AttackContext } from "./attacks-rows";
import type { ProbeResult } from "./report";
import { inTransaction, rows } from "./session";

/** One policy of each public table, the one an attacker would try to drop. */
async function firstPolicies(adminUrl: string): Promise<Record<string, string>> {
  const found = await rows<{ table: string; policy: string }>(
    adminUrl,
    `SELECT tablename::text AS table, min(policyname)::text AS policy FROM pg_policies
      WHERE schemaname = 'public' GROUP BY tablename`,
  );
  return Object.fromEntries(found.map((r) => [r.table, r.policy]));
}

export async function runAttackSuite(ctx: AttackContext): Promise<ProbeResult[]> {
  const groups: AttackGroup[] = [
    ...rowAttackGroups(ctx),
    ...escalationGroups(ctx, await firstPolicies(ctx.adminUrl)),
  ];
  await inTransaction(ctx.adminUrl, futureObjectStatements(ctx.plan.roles.migrator.name));
  try {
    const results: ProbeResult[] = await membershipControls(ctx);
    for (const group of groups) results.push(...(await runAttacks(group)));
    return results;
  } finally {
    await inTransaction(ctx.adminUrl, dropFutureObjectStatements());
  }
}
