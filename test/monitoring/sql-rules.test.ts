/**
 * The SQL alert rules on a real Postgres: the submissions layer of prod applied as `pulumi up` would,
 * rows written on both sides of each threshold, each rule's query run as the analytics role Grafana
 * connects as.
 */
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  sqlContractOf,
  sqlRules,
  SQL_WINDOW_MINUTES,
  type SqlRule,
} from "../../infra/components/monitoring-rules";
import { supabaseCompatProvider } from "../../infra/providers/postgres";
import { applyLayer } from "../../tools/rehearse/apply";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { targetFor } from "../../tools/rehearse/rehearse";
import { createStandIns, standInTables } from "../../tools/rehearse/stand-ins";
import { appLayer } from "../rehearse/support";
import { platformOf } from "../components/support";

const platform = platformOf("prod");
/** The catalog's apps whose app-level thresholds are read from their rows. */
const sqlApps = Object.entries(platform.apps).filter(([, spec]) => spec.alerts.metrics?.source === "sql");

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function run<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Whether Grafana's threshold stage fires on the rule's value. */
const fires = (rule: SqlRule, value: number): boolean => value > rule.above!;

it("the catalog has an app whose thresholds are read from its rows", () => {
  expect(sqlApps.length).toBeGreaterThan(0);
});

describe.each(sqlApps.map(([name]) => name))("SQL rules of %s (prod) as its analytics role", (name) => {
  const { spec, plan } = appLayer("prod", name);
  const metrics = sqlContractOf(spec)!;
  const rules = sqlRules(spec.alerts.thresholds, metrics, true);
  const rule = (monitor: string) => rules.find((r) => r.monitor === monitor);
  let analytics: string;

  beforeAll(async () => {
    const target = targetFor(server.url, plan);
    if (plan.flavor === "supabase")
      await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
    await applyLayer(plan, target, {
      skip: (step) => (step.requires === "pg_cron" ? "pg_cron is not needed here" : undefined),
      beforeTables: () => createStandIns(target.roleUrls.migrator, standInTables(spec.database!)),
    });
    analytics = target.roleUrls.analytics;
  });

  /** Empties the table and its audit trail, then writes `total` rows, `failed` of them failed. */
  async function writes(total: number, failed: number, status = "sent"): Promise<void> {
    await run(server.url, `TRUNCATE public."${metrics.table}"`);
    await run(
      server.url,
      `INSERT INTO public."${metrics.table}" (id, user_id, email, created_at, status)
       SELECT gen_random_uuid(), gen_random_uuid(), 'x' || i || '@example.org', now(),
              CASE WHEN i <= ${failed} THEN 'failed' ELSE '${status}' END
       FROM generate_series(1, ${total}) AS i`,
    );
  }
  const value = async (r: SqlRule): Promise<number> => Number((await run(analytics, r.sql))[0]!["value"]);

  it("failure rate: exactly the threshold stays quiet, one failed write more fires", async () => {
    const r = rule("failure-rate");
    if (!spec.alerts.thresholds.failureRatePercent) return expect(r).toBeUndefined();
    const p = spec.alerts.thresholds.failureRatePercent;
    await writes(100, p);
    expect(await value(r!)).toBeCloseTo(p);
    expect(fires(r!, await value(r!))).toBe(false);
    await writes(100, p + 1);
    expect(fires(r!, await value(r!))).toBe(true);
  });

  it(`failure rate: failed writes older than ${SQL_WINDOW_MINUTES} minutes no longer count`, async () => {
    const r = rule("failure-rate");
    if (!spec.alerts.thresholds.failureRatePercent) return expect(r).toBeUndefined();
    await writes(100, 50);
    expect(await value(r!)).toBe(50);
    const aged = metrics.timeColumns
      .map((c) => `"${c}" = now() - interval '${SQL_WINDOW_MINUTES + 1} minutes'`)
      .join(", ");
    await run(server.url, `UPDATE public."${metrics.table}" SET ${aged} WHERE status = 'failed'`);
    expect(await value(r!)).toBe(0);
  });

  it("queue size: exactly the threshold stays quiet, one queued row more fires", async () => {
    const r = rule("queue-size");
    if (!spec.alerts.thresholds.queueSize) return expect(r).toBeUndefined();
    const q = spec.alerts.thresholds.queueSize;
    await writes(q, 0, "queued");
    expect(fires(r!, await value(r!))).toBe(false);
    await writes(q + 1, 0, "queued");
    expect(fires(r!, await value(r!))).toBe(true);
    await writes(q + 5, 0, "sent");
    expect(await value(r!)).toBe(0);
  });

  it("database down: quiet while the analytics role gets an answer, an error (alerting) when it cannot", async () => {
    // The same rule every app with `databaseDown` gets, on this app's analytics role.
    const r = sqlRules({ databaseDown: true }, undefined, true).find((x) => x.monitor === "database-down");
    expect(fires({ ...r!, above: r!.above ?? 1 }, await value(r!))).toBe(false);
    const refused = new URL(analytics);
    refused.password = "not-the-password";
    await expect(run(refused.toString(), r!.sql)).rejects.toThrow(/password authentication failed/);
  });

  it("the analytics role is all the rules need: it cannot write the rows they read", async () => {
    await expect(run(analytics, `DELETE FROM public."${metrics.table}"`)).rejects.toThrow(
      /permission denied/,
    );
  });
});
