/**
 * Attacks on rows, derived from the catalog: for every RLS table, what anon, user A (a member of
 * tenant A, its admin where the membership model has admins), user C (a plain member of A) and the
 * app's logins try against the rows of B; for membership tables, joining, moving and raising; rows
 * forged into the platform tables; private bucket objects.
 */
import type { DatabasePlan } from "../../infra/components/database-plan";
import { sql } from "../../infra/providers/postgres";
import type { Attack, Attacker, AttackGroup } from "./attack";
import { exactly } from "./checks";
import { verdict, type ProbeResult } from "./report";
import { asIdentity } from "./session";
import {
  insertSql,
  otherUserValue,
  rowWith,
  USER,
  type Row,
  type StandInTable,
  type Value,
} from "./stand-ins";

export interface AttackContext {
  readonly adminUrl: string;
  readonly plan: DatabasePlan;
  readonly roleUrls: Readonly<Record<"migrator" | "runtime" | "analytics", string>>;
  readonly tables: readonly StandInTable[];
  readonly platformTables: readonly string[];
  readonly buckets: readonly string[];
}

const t = (table: string) => sql.qualifiedName({ schema: "public", table });
const col = (column: string) => sql.quoteIdent(column, "column");

export function attackers(ctx: AttackContext) {
  const { runtime, analytics } = ctx.plan.roles;
  return {
    anon: { name: "anon", url: ctx.adminUrl, identity: { role: "anon" } },
    userA: { name: "user A", url: ctx.adminUrl, identity: { role: "authenticated", sub: USER.A } },
    runtime: { name: `login ${runtime.name}`, url: ctx.roleUrls.runtime, identity: {} },
    analytics: { name: `login ${analytics.name}`, url: ctx.roleUrls.analytics, identity: {} },
  } satisfies Record<string, Attacker>;
}

function insert(subject: string, move: string, table: string, row: Row): Attack {
  const { text, values } = insertSql(table, row);
  return { subject, move, sql: text, values, success: "runs" };
}

/** Reading, writing and deleting every row: for those who should reach none. */
function everyRow(table: StandInTable, subject: string, readable: boolean): Attack[] {
  const name = t(table.table);
  const key = col(table.spec.primaryKey);
  return [
    ...(readable
      ? []
      : [
          {
            subject,
            move: "reads rows",
            sql: `SELECT count(*)::int AS n FROM ${name}`,
            success: "count",
          } as const,
        ]),
    insert(subject, "inserts a row", table.table, rowWith(table, "B", {})),
    { subject, move: "updates rows", sql: `UPDATE ${name} SET ${key} = ${key}`, success: "rows" },
    { subject, move: "deletes rows", sql: `DELETE FROM ${name}`, success: "rows" },
  ];
}

/** User A against the rows of B (owner and tenant models). */
function crossParty(table: StandInTable, subject: string): Attack[] {
  const { column, values } = table.subject!;
  const name = t(table.table);
  const c = col(column);
  const key = col(table.spec.primaryKey);
  const own = table.rows.A[table.spec.primaryKey];
  return [
    {
      subject,
      move: "reads B's rows",
      sql: `SELECT count(*)::int AS n FROM ${name} WHERE ${c} = $1`,
      values: [values.B],
      success: "count",
    },
    insert(subject, "inserts a row of B", table.table, rowWith(table, "B", {})),
    {
      subject,
      move: "updates B's rows",
      sql: `UPDATE ${name} SET ${key} = ${key} WHERE ${c} = $1`,
      values: [values.B],
      success: "rows",
    },
    {
      subject,
      move: "deletes B's rows",
      sql: `DELETE FROM ${name} WHERE ${c} = $1`,
      values: [values.B],
      success: "rows",
    },
    {
      subject,
      move: "hands its own row over to B",
      sql: `UPDATE ${name} SET ${c} = $1 WHERE ${key} = $2`,
      values: [values.B, own],
      success: "rows",
    },
  ];
}

type MembershipModel = Extract<StandInTable["spec"]["rls"], { model: "membership" }>;

/** Joining, moving and raising memberships, as a plain member (C) and as A, an admin of tenant A. */
function membershipGroups(ctx: AttackContext, table: StandInTable, rls: MembershipModel): AttackGroup[] {
  const subject = `table ${table.table}`;
  const name = t(table.table);
  const types = table.spec.columns;
  const user = (who: "C" | "D") => otherUserValue(types[rls.userColumn]!, who);
  const tenantOf = (party: "A" | "B") => table.rows[party][rls.tenantColumn]!;
  const admin = rls.adminRoles?.[0];
  const role = rls.roleColumn;
  const member = (who: Value, party: "A" | "B", asAdmin: boolean): Row => ({
    [rls.userColumn]: who,
    [rls.tenantColumn]: tenantOf(party),
    ...(role ? { [role]: asAdmin && admin ? admin : "member" } : {}),
  });
  const u = col(rls.userColumn);
  const tc = col(rls.tenantColumn);
  const { userA } = attackers(ctx);
  const userC: Attacker = {
    name: "user C (member of A)",
    url: ctx.adminUrl,
    identity: { role: "authenticated", sub: String(user("C")) },
  };
  const asMember: Attack[] = [
    insert(
      subject,
      "adds itself to tenant B",
      table.table,
      rowWith(table, "A", member(user("C"), "B", true)),
    ),
    {
      subject,
      move: "moves its membership to tenant B",
      sql: `UPDATE ${name} SET ${tc} = $1 WHERE ${u} = $2`,
      values: [tenantOf("B"), user("C")],
      success: "rows",
    },
    ...(role && admin
      ? [
          {
            subject,
            move: "raises its own role",
            sql: `UPDATE ${name} SET ${col(role)} = $1 WHERE ${u} = $2`,
            values: [admin, user("C")],
            success: "rows",
          } as const,
          insert(
            subject,
            "adds itself again as an admin of A",
            table.table,
            rowWith(table, "A", member(user("C"), "A", true)),
          ),
          insert(
            subject,
            "adds a member to A without being an admin",
            table.table,
            rowWith(table, "A", member(user("D"), "A", false)),
          ),
        ]
      : []),
  ];
  const asAdmin: Attack[] = [
    insert(subject, "adds itself to tenant B", table.table, rowWith(table, "A", member(USER.A, "B", true))),
    insert(
      subject,
      "adds a member to tenant B",
      table.table,
      rowWith(table, "A", member(user("D"), "B", false)),
    ),
    {
      subject,
      move: "reads tenant B's memberships",
      sql: `SELECT count(*)::int AS n FROM ${name} WHERE ${tc} = $1`,
      values: [tenantOf("B")],
      success: "count",
    },
    {
      subject,
      move: "moves its membership to tenant B",
      sql: `UPDATE ${name} SET ${tc} = $1 WHERE ${u} = $2`,
      values: [tenantOf("B"), USER.A],
      success: "rows",
    },
    {
      subject,
      move: "removes tenant B's members",
      sql: `DELETE FROM ${name} WHERE ${tc} = $1`,
      values: [tenantOf("B")],
      success: "rows",
    },
    ...(role
      ? [
          {
            subject,
            move: "changes roles in tenant B",
            sql: `UPDATE ${name} SET ${col(role)} = $1 WHERE ${tc} = $2`,
            values: [admin ?? "member", tenantOf("B")],
            success: "rows",
          } as const,
        ]
      : []),
  ];
  const { text, values } = insertSql(table.table, rowWith(table, "A", member(user("C"), "A", false)));
  return [
    {
      attacker: userC,
      setup: async (asOwner) => {
        await asOwner(text, values);
      },
      attacks: asMember,
    },
    {
      attacker: { ...userA, name: admin ? "user A (admin of A)" : "user A (member of A)" },
      setup: async (asOwner) => {
        if (role && admin)
          await asOwner(`UPDATE ${name} SET ${col(role)} = $1 WHERE ${u} = $2`, [admin, USER.A]);
      },
      attacks: asAdmin,
    },
  ];
}

const FORGED: Record<string, (subject: string) => Attack[]> = {
  audit_logs: (subject) => [
    {
      subject,
      move: "forges an audit row",
      sql: "INSERT INTO public.audit_logs (actor, actor_role, table_schema, table_name, action) VALUES ($1, 'authenticated', 'public', 'forged', 'DELETE')",
      values: [USER.B],
      success: "runs",
    },
    {
      subject,
      move: "rewrites audit rows",
      sql: "UPDATE public.audit_logs SET actor = NULL",
      success: "rows",
    },
    { subject, move: "erases audit rows", sql: "DELETE FROM public.audit_logs", success: "rows" },
  ],
  qa_reports: (subject) => [
    {
      subject,
      move: "files a report as B",
      sql: "INSERT INTO public.qa_reports (reporter, subject) VALUES ($1, 'forged')",
      values: [USER.B],
      success: "runs",
    },
    {
      subject,
      move: "closes others' reports",
      sql: "UPDATE public.qa_reports SET status = 'closed' WHERE reporter IS DISTINCT FROM $1",
      values: [USER.A],
      success: "rows",
    },
  ],
  backup_metadata: (subject) => [
    {
      subject,
      move: "forges a backup record",
      sql: "INSERT INTO public.backup_metadata (status, kind, location) VALUES ('succeeded', 'daily', 'forged')",
      success: "runs",
    },
    {
      subject,
      move: "marks backups failed",
      sql: "UPDATE public.backup_metadata SET status = 'failed'",
      success: "rows",
    },
  ],
};

function bucketAttacks(bucket: string): Attack[] {
  const subject = `bucket ${bucket}`;
  const where = "WHERE bucket_id = $1";
  return [
    {
      subject,
      move: "reads private objects",
      sql: `SELECT count(*)::int AS n FROM storage.objects ${where}`,
      values: [bucket],
      success: "count",
    },
    {
      subject,
      move: "uploads an object",
      sql: "INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES ($1, 'attack/x.json', $2)",
      values: [bucket, USER.A],
      success: "runs",
    },
    {
      subject,
      move: "overwrites objects",
      sql: `UPDATE storage.objects SET name = name ${where}`,
      values: [bucket],
      success: "rows",
    },
    {
      subject,
      move: "deletes objects",
      sql: `DELETE FROM storage.objects ${where}`,
      values: [bucket],
      success: "rows",
    },
  ];
}

/**
 * The positive controls of a membership table, so a table refusing everyone does not pass for a
 * safe one: a member reads its own membership; an admin adds a member to its own tenant.
 */
export async function membershipControls(ctx: AttackContext): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const table of ctx.tables) {
    const rls = table.spec.rls;
    if (rls.model !== "membership") continue;
    const subject = `table ${table.table}`;
    const name = t(table.table);
    const admin = rls.adminRoles?.[0];
    const role = rls.roleColumn;
    const added = insertSql(
      table.table,
      rowWith(table, "A", {
        [rls.userColumn]: otherUserValue(table.spec.columns[rls.userColumn]!, "D"),
        ...(role ? { [role]: "member" } : {}),
      }),
    );
    const seen = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, async (q, owner) => {
      const own = await q(`SELECT count(*)::int AS n FROM ${name} WHERE ${col(rls.userColumn)} = $1`, [
        USER.A,
      ]);
      if (!(role && admin)) return { own };
      await owner(`UPDATE ${name} SET ${col(role)} = $1 WHERE ${col(rls.userColumn)} = $2`, [admin, USER.A]);
      return { own, add: await q(added.text, added.values) };
    });
    results.push(verdict(subject, "a member reads its own membership", exactly(seen.own, 1)));
    if (seen.add)
      results.push(verdict(subject, "an admin adds a member to its own tenant", exactly(seen.add, 1)));
  }
  return results;
}

/** Every row attack of the app, grouped by attacker. */
export function rowAttackGroups(ctx: AttackContext): AttackGroup[] {
  const who = attackers(ctx);
  const byAttacker = new Map<Attacker, Attack[]>(Object.values(who).map((a) => [a, []]));
  const add = (attacker: Attacker, attacks: Attack[]) => byAttacker.get(attacker)!.push(...attacks);
  const groups: AttackGroup[] = [];
  for (const table of ctx.tables) {
    const subject = `table ${table.table}`;
    const model = table.spec.rls.model;
    add(who.anon, everyRow(table, subject, false));
    add(who.runtime, everyRow(table, subject, false));
    // Analytics reads every row of a user table by design (its own policy); it writes none.
    add(who.analytics, everyRow(table, subject, model !== "service-only"));
    if (model === "service-only") add(who.userA, everyRow(table, subject, false));
    else if (table.subject && model !== "membership") add(who.userA, crossParty(table, subject));
    if (table.spec.rls.model === "membership") groups.push(...membershipGroups(ctx, table, table.spec.rls));
  }
  for (const platform of ctx.platformTables) {
    const forge = FORGED[platform];
    if (!forge) continue;
    for (const attacker of Object.values(who)) add(attacker, forge(`table ${platform}`));
  }
  for (const bucket of ctx.buckets) {
    for (const attacker of Object.values(who)) add(attacker, bucketAttacks(bucket));
  }
  for (const [attacker, attacks] of byAttacker) if (attacks.length > 0) groups.push({ attacker, attacks });
  return groups;
}
