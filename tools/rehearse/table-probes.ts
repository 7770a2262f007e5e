/**
 * Isolation probes on every RLS table of an app: as anon, as an authenticated user of party A
 * against the rows of party B, as the service role and as the analytics role. Each probe has a
 * positive control where one makes sense (A does see its own rows), so a table that refuses
 * everyone does not pass for an isolated one.
 */
import type { DatabasePlan } from "../../infra/components/database-plan";
import { sql } from "../../infra/providers/postgres";
import { exactly, first, none, refused } from "./checks";
import { notRehearsed, verdict, type ProbeResult } from "./report";
import { asIdentity } from "./session";
import { freshRow, insertSql, USER, type StandInTable } from "./stand-ins";

export interface TableProbeContext {
  readonly adminUrl: string;
  readonly plan: DatabasePlan;
  /** Whether writes are captured into audit_logs (the app keeps that platform table). */
  readonly auditLogs: boolean;
}

const name = (table: string) => sql.qualifiedName({ schema: "public", table });
const col = (column: string) => sql.quoteIdent(column, "column");

/** Probes of one stand-in table. */
export async function probeTable(ctx: TableProbeContext, table: StandInTable): Promise<ProbeResult[]> {
  const subject = `table ${table.table}`;
  const t = name(table.table);
  const count = `SELECT count(*)::int AS n FROM ${t}`;
  const model = table.spec.rls.model;
  const analytics = ctx.plan.roles.analytics.name;
  const results: ProbeResult[] = [];

  const service = await asIdentity(ctx.adminUrl, { role: "service_role" }, (q) => q(count));
  results.push(verdict(subject, "service role reads every row", exactly(service, 2)));
  const analyticsRead = await asIdentity(ctx.adminUrl, { role: analytics }, async (q) => {
    const { text, values } = insertSql(table.table, freshRow(table, "A"));
    return [await q(count), await q(text, values)] as const;
  });
  results.push(
    verdict(
      subject,
      model === "service-only"
        ? "analytics reads no row and writes none"
        : "analytics reads every row, writes none",
      first(
        model === "service-only" ? none(analyticsRead[0]) : exactly(analyticsRead[0], 2),
        refused(analyticsRead[1]),
      ),
    ),
  );

  const anon = await asIdentity(ctx.adminUrl, { role: "anon" }, async (q) => {
    const { text, values } = insertSql(table.table, freshRow(table, "B"));
    const key = col(table.spec.primaryKey);
    return {
      read: await q(count),
      insert: await q(text, values),
      update: await q(`UPDATE ${t} SET ${key} = ${key}`),
      remove: await q(`DELETE FROM ${t}`),
    };
  });
  results.push(verdict(subject, "anon reads no row", none(anon.read)));
  results.push(verdict(subject, "anon cannot insert", refused(anon.insert)));
  results.push(
    verdict(subject, "anon updates and deletes no row", first(none(anon.update), none(anon.remove))),
  );

  if (model === "service-only") {
    const user = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, (q) => q(count));
    results.push(verdict(subject, "an authenticated user reads no row", none(user)));
    return results;
  }
  // A membership table's isolation is the attack suite's (joining, moving, raising) and its controls.
  if (model === "membership") return results;
  if (!table.subject) {
    results.push(
      notRehearsed(
        subject,
        "party isolation",
        "explicit policies: no owner or tenant column to probe A against B",
      ),
    );
    return results;
  }
  results.push(...(await partyProbes(ctx, table, subject)));
  return results;
}

/** User A against the rows of B, with A's own rows as the positive control. */
async function partyProbes(
  ctx: TableProbeContext,
  table: StandInTable,
  subject: string,
): Promise<ProbeResult[]> {
  const t = name(table.table);
  const { column, values } = table.subject!;
  const c = col(column);
  const key = col(table.spec.primaryKey);
  const ownKey = table.rows.A[table.spec.primaryKey];
  const probes = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, async (q, admin) => {
    const { text, values: row } = insertSql(table.table, freshRow(table, "B"));
    const out = {
      own: await q(`SELECT count(*)::int AS n FROM ${t} WHERE ${c} = $1`, [values.A]),
      all: await q(`SELECT count(*)::int AS n FROM ${t}`),
      others: await q(`SELECT count(*)::int AS n FROM ${t} WHERE ${c} = $1`, [values.B]),
      insert: await q(text, row),
      update: await q(`UPDATE ${t} SET ${c} = ${c} WHERE ${c} = $1`, [values.B]),
      remove: await q(`DELETE FROM ${t} WHERE ${c} = $1`, [values.B]),
      move: await q(`UPDATE ${t} SET ${c} = $1 WHERE ${key} = $2`, [values.B, ownKey]),
      touch: await q(`UPDATE ${t} SET ${key} = ${key} WHERE ${key} = $1`, [ownKey]),
      audit: ctx.auditLogs
        ? await admin(
            `SELECT count(*)::int AS n FROM public.audit_logs WHERE table_name = $1 AND action = 'UPDATE'
                AND actor = $2 AND row_before IS NOT NULL AND row_after IS NOT NULL`,
            [table.table, USER.A],
          )
        : undefined,
    };
    return out;
  });
  const results = [
    verdict(subject, "user A reads its own rows", first(exactly(probes.own, 1), exactly(probes.all, 1))),
    verdict(subject, "user A reads none of B's rows", none(probes.others)),
    verdict(subject, "user A cannot insert a row of B", refused(probes.insert)),
    verdict(
      subject,
      "user A updates and deletes none of B's rows",
      first(none(probes.update), none(probes.remove)),
    ),
    verdict(subject, "user A cannot hand its row over to B", refused(probes.move)),
  ];
  if (probes.audit && table.spec.audit) {
    results.push(
      verdict(
        subject,
        "user A's update is recorded in audit_logs (who, what, before and after)",
        first(exactly(probes.touch, 1), exactly(probes.audit, 1)),
      ),
    );
  }
  return results;
}
