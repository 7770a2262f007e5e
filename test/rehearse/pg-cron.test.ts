/**
 * Scheduled jobs on a real PostgreSQL with pg_cron (Debian's postgresql-15-cron, started by
 * `.ci/pg-cron`). vitest.config.mts includes this file in CI, where a missing server fails it, and
 * elsewhere only when LAUNCHPAD_PG_CRON_URL is set.
 */
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronJobProvider, supabaseCompatProvider, type CronJobOutputs } from "../../infra/providers/postgres";
import { applyLayer } from "../../tools/rehearse/apply";
import { targetFor } from "../../tools/rehearse/rehearse";
import { baselineOf, cleanUp, conflicts, type Baseline } from "../../tools/rehearse/server-state";
import { createStandIns, standInTables } from "../../tools/rehearse/stand-ins";
import { appLayer, launchpad } from "./support";

const URL = process.env["LAUNCHPAD_PG_CRON_URL"];

function server(): string {
  if (!URL)
    throw new Error("LAUNCHPAD_PG_CRON_URL is not set: `.ci/pg-cron start` provides the pg_cron server");
  return URL;
}

async function query<T = Record<string, unknown>>(
  sql: string,
  values?: unknown[],
  role?: string,
): Promise<T[]> {
  const client = new Client({ connectionString: server() });
  await client.connect();
  try {
    // pg_cron runs a job's command as the job's user: so do the tests.
    if (role) await client.query(`SET ROLE "${role}"`);
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("the pg_cron server", () => {
  it("is given to the tests (in CI, .ci/run starts it)", () => {
    expect(URL, "LAUNCHPAD_PG_CRON_URL is not set").toMatch(/^postgres(ql)?:\/\//);
  });
});

describe("the submissions jobs of prod, scheduled and run on pg_cron", () => {
  const { spec, plan } = appLayer("prod", "submissions");
  const migrator = plan.roles.migrator.name;
  let baseline: Baseline;
  let jobs: Array<{ jobname: string; schedule: string; command: string; username: string; active: boolean }>;

  beforeAll(async () => {
    expect(
      await conflicts(server(), plan, ["soumissions_disponibilites", "audit_logs", "backup_metadata"]),
    ).toEqual([]);
    baseline = await baselineOf(server());
    await supabaseCompatProvider.create({ databaseUrl: server(), storage: true });
    const target = targetFor(server(), plan);
    await applyLayer(plan, target, {
      beforeTables: () => createStandIns(target.roleUrls.migrator, standInTables(spec.database!)),
    });
    jobs = await query("SELECT jobname, schedule, command, username, active FROM cron.job ORDER BY jobname");
  });

  afterAll(async () => {
    if (URL && baseline) await cleanUp(URL, plan, baseline);
  });

  it("holds each job in cron.job under its stable name, with the seed's schedule, as the migrator", () => {
    expect(
      jobs.map(({ jobname, schedule, username, active }) => ({ jobname, schedule, username, active })),
    ).toEqual([
      { jobname: "submissions-prod-daily-backup", schedule: "0 2 * * *", username: migrator, active: true },
      {
        jobname: "submissions-prod-purge-audit-logs",
        schedule: "30 3 * * *",
        username: migrator,
        active: true,
      },
      { jobname: "submissions-prod-weekly-cleanup", schedule: "0 3 * * 0", username: migrator, active: true },
    ]);
  });

  it("purges exactly the audit logs older than prod's 90 days", async () => {
    await query(
      `INSERT INTO public.audit_logs (actor_role, table_schema, table_name, action, occurred_at)
       SELECT 'test', 'public', 'purge-probe', 'INSERT', now() - make_interval(days => d)
         FROM unnest(ARRAY[400, 91, 89, 1]) AS d`,
    );
    const job = jobs.find((j) => j.jobname === "submissions-prod-purge-audit-logs")!;
    await query(job.command, [], job.username);
    const left = await query<{ days: number }>(
      "SELECT round(extract(epoch FROM now() - occurred_at) / 86400)::int AS days FROM public.audit_logs WHERE table_name = 'purge-probe' ORDER BY 1",
    );
    expect(left.map((r) => r.days)).toEqual([1, 89]);
  });

  it("snapshots the table into a dated table and records it in backup_metadata", async () => {
    const job = jobs.find((j) => j.jobname === "submissions-prod-daily-backup")!;
    await query(job.command, [], job.username);
    const [meta] = await query<{ name: string; rows: string; bucket: string; status: string }>(
      `SELECT details ->> 'snapshot' AS name, details ->> 'rows' AS rows, details ->> 'bucket' AS bucket, status
         FROM public.backup_metadata WHERE kind = 'snapshot'`,
    );
    expect(meta).toMatchObject({ rows: "2", bucket: "backups", status: "succeeded" });
    expect(meta!.name).toMatch(/^soumissions_disponibilites_\d{8}_\d{6}$/);
    const [copy] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM snapshots."${meta!.name}"`);
    expect(copy!.n).toBe(2);
  });

  it("drops the snapshots older than prod's 30 days of backup retention, and only those", async () => {
    const recent = "soumissions_disponibilites_29990101_000000";
    await query(`CREATE TABLE snapshots."${recent}" (id integer)`, [], migrator);
    await query(
      `INSERT INTO public.backup_metadata (kind, status, started_at, details)
       VALUES ('snapshot', 'succeeded', now() - interval '29 days', jsonb_build_object('snapshot', $1::text))`,
      [recent],
    );
    await query(
      "UPDATE public.backup_metadata SET started_at = now() - interval '31 days' WHERE details ->> 'snapshot' <> $1",
      [recent],
    );
    const job = jobs.find((j) => j.jobname === "submissions-prod-weekly-cleanup")!;
    await query(job.command, [], job.username);
    const tables = await query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'snapshots'",
    );
    expect(tables.map((t) => t.name)).toEqual([recent]);
    const removed = await query<{ name: string }>(
      "SELECT details ->> 'snapshot' AS name FROM public.backup_metadata WHERE details ? 'removed_at'",
    );
    expect(removed).toHaveLength(1);
    expect(removed[0]!.name).not.toBe(recent);
  });
});

describe("CronJob lifecycle on pg_cron", () => {
  const job = () => ({
    databaseUrl: server(),
    jobName: "launchpad-lifecycle",
    schedule: "0 4 * * *",
    command: "SELECT 1",
  });
  afterAll(async () => {
    if (URL) await query("DELETE FROM cron.job WHERE jobname = 'launchpad-lifecycle'").catch(() => undefined);
  });

  it("creates, reads, diffs, updates and deletes a job by its stable name", async () => {
    await query("CREATE EXTENSION IF NOT EXISTS pg_cron");
    const created = await cronJobProvider.create(job());
    const outs = created.outs as CronJobOutputs;
    expect(outs.observed).toEqual({ schedule: "0 4 * * *", command: "SELECT 1", active: true });
    const read = await cronJobProvider.read!(created.id, outs);
    expect(await cronJobProvider.diff!(created.id, read.props as CronJobOutputs, job())).toEqual({
      changes: false,
    });
    const moved = { ...job(), schedule: "15 4 * * *" };
    expect((await cronJobProvider.diff!(created.id, outs, moved)).changes).toBe(true);
    await cronJobProvider.update!(created.id, outs, moved);
    await cronJobProvider.update!(created.id, outs, moved);
    expect(await query("SELECT schedule FROM cron.job WHERE jobname = 'launchpad-lifecycle'")).toEqual([
      { schedule: "15 4 * * *" },
    ]);
    await cronJobProvider.delete!(created.id, outs);
    expect(await query("SELECT 1 FROM cron.job WHERE jobname = 'launchpad-lifecycle'")).toEqual([]);
    await query("DROP EXTENSION pg_cron");
  });
});

describe("launchpad rehearse on the pg_cron server", () => {
  it("rehearses every job of the dev stack for real: none is left unrehearsed", async () => {
    const run = await launchpad(["rehearse", "--stack", "dev", "--format", "json"], {
      LAUNCHPAD_REHEARSE_DATABASE_URL: server(),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      summary: Record<string, number>;
      apps: Array<{ app: string; probes: Array<{ subject: string; probe: string; outcome: string }> }>;
    };
    expect(report.summary).toMatchObject({ failed: 0, "not rehearsed": 0 });
    const jobProbes = report.apps.flatMap((a) => a.probes.filter((p) => p.subject.startsWith("job ")));
    // Five purges, the daily backup and the weekly cleanup; each scheduled, and run.
    expect(jobProbes).toHaveLength(14);
    expect(jobProbes.every((p) => p.outcome === "passed")).toBe(true);
    expect(await query("SELECT rolname FROM pg_roles WHERE rolname LIKE '%_dev_%'")).toEqual([]);
  });
});

/** Whether pg_cron's own parser refuses a schedule (inside a transaction rolled back: nothing stays). */
async function pgCronRefuses(schedule: string): Promise<boolean> {
  const client = new Client({ connectionString: server() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_cron");
    await client.query("SELECT cron.schedule('launchpad-grammar-probe', $1, 'SELECT 1')", [schedule]);
    return false;
  } catch (error) {
    expect(String(error)).toMatch(/invalid schedule/);
    return true;
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}

describe("the CronJob provider's schedule grammar, against pg_cron's own parser", () => {
  const job = (schedule: string) => ({
    databaseUrl: server(),
    jobName: "launchpad-grammar-probe",
    schedule,
    command: "SELECT 1",
  });

  // Each of these once passed the provider's check and failed only at `cron.schedule`.
  it.each(["61 3 * * 0", "0 24 * * *", "0 0 0 * *", "0 0 32 * *", "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *"])(
    "refuses %j in check, as pg_cron does",
    async (schedule) => {
      expect(await pgCronRefuses(schedule)).toBe(true);
      const checked = await cronJobProvider.check!(job(schedule), job(schedule));
      expect(checked.failures).toEqual([
        { property: "schedule", reason: expect.stringMatching(/is not a pg_cron schedule \(.+ field: /) },
      ]);
    },
  );

  it.each(["5/10 * * * *", "0 2 * *", "0 0 * foo *", "1,,2 * * * *", "0 0 $5 * *", "@fortnightly", "@DAILY"])(
    "refuses %j in check, as pg_cron does",
    async (schedule) => {
      expect(await pgCronRefuses(schedule)).toBe(true);
      expect((await cronJobProvider.check!(job(schedule), job(schedule))).failures).toHaveLength(1);
    },
  );

  // Both accept these; the provider once refused the macros. (`$` and `N seconds` came with pg_cron
  // 1.5, which Supabase runs; Debian's 1.4 refuses them, so they are not probed here.)
  it.each(["0 3 * * sun", "*/15 9-17 * jan-mar mon-fri", "@daily", "@hourly"])(
    "accepts %j, as pg_cron does",
    async (schedule) => {
      expect(await pgCronRefuses(schedule)).toBe(false);
      expect((await cronJobProvider.check!(job(schedule), job(schedule))).failures).toBeUndefined();
    },
  );
});
