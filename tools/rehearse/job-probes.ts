/**
 * Scheduled jobs, for real where the server has pg_cron: each job is in cron.job under its stable
 * name with its schedule, owned by the migrator; and its command, run as that role the way pg_cron
 * runs it, does what it says (the purge deletes exactly the rows past the retention, the snapshot
 * copies the table and records it, the cleanup drops exactly the expired snapshots).
 */
import type { DatabasePlan, JobAction } from "../../infra/components/database-plan";
import { sql } from "../../infra/providers/postgres";
import type { Applied } from "./apply";
import { failed, notRehearsed, passed, verdict, type ProbeResult } from "./report";
import { rows, withClient } from "./session";

export type CronSupport = { available: true } | { available: false; reason: string };

/** Whether jobs can be rehearsed here: pg_cron packaged, preloaded, and serving this database. */
export async function cronSupport(adminUrl: string): Promise<CronSupport> {
  const [row] = await rows<{ packaged: boolean; preload: string; cron_db: string | null; db: string }>(
    adminUrl,
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron') AS packaged,
            current_setting('shared_preload_libraries') AS preload,
            current_setting('cron.database_name', true) AS cron_db, current_database() AS db`,
  );
  if (!row?.packaged) return { available: false, reason: "pg_cron not installed" };
  if (!row.preload.split(",").some((lib) => lib.trim() === "pg_cron")) {
    return { available: false, reason: "pg_cron not loaded (add it to shared_preload_libraries)" };
  }
  const cronDb = row.cron_db ?? "postgres";
  if (cronDb !== row.db) {
    return { available: false, reason: `pg_cron serves database ${cronDb}, not ${row.db}` };
  }
  return { available: true };
}

export interface JobProbeContext {
  readonly adminUrl: string;
  readonly migratorUrl: string;
  readonly plan: DatabasePlan;
}

/** Platform tables a purge probe can fill: the column marking the probe's rows, and required values. */
const PLATFORM_ROWS: Record<string, { marker: string; fixed: Record<string, string> }> = {
  audit_logs: {
    marker: "table_name",
    fixed: { actor_role: "rehearsal", table_schema: "public", action: "INSERT" },
  },
  qa_reports: { marker: "subject", fixed: {} },
  backup_metadata: { marker: "kind", fixed: {} },
};

/** Runs a job's command as the role pg_cron runs it as. */
async function runAsJobOwner(ctx: JobProbeContext, command: string): Promise<void> {
  await withClient(ctx.migratorUrl, (client) => client.query(command));
}

async function probePurge(
  ctx: JobProbeContext,
  action: Extract<JobAction, { kind: "purge" }>,
  command: string,
) {
  const platform = PLATFORM_ROWS[action.table]!;
  const marker = "launchpad-rehearsal-purge";
  const column = sql.quoteIdent(action.column, "column");
  const columns = [...Object.keys(platform.fixed), platform.marker].map((c) => sql.quoteIdent(c, "column"));
  const fixed = [...Object.values(platform.fixed), marker].map(sql.quoteLiteral).join(", ");
  // Two rows past the retention, two within it.
  const ages = [action.retentionDays + 30, action.retentionDays + 1, action.retentionDays - 1, 0];
  const values = ages.map((days) => `(${fixed}, now() - interval '${days} days')`).join(", ");
  const table = sql.qualifiedName({ schema: "public", table: action.table });
  await withClient(ctx.adminUrl, (c) =>
    c.query(`INSERT INTO ${table} (${[...columns, column].join(", ")}) VALUES ${values}`),
  );
  const count = async (older: boolean) =>
    (
      await rows<{ n: number }>(
        ctx.adminUrl,
        `SELECT count(*)::int AS n FROM ${table} WHERE ${sql.quoteIdent(platform.marker, "column")} = $1
            AND (${column} < now() - interval '${action.retentionDays} days') = $2`,
        [marker, older],
      )
    )[0]!.n;
  const before = [await count(true), await count(false)];
  await runAsJobOwner(ctx, command);
  const after = [await count(true), await count(false)];
  if (before[0] !== 2 || before[1] !== 2) return `could not set up the probe rows (${before.join("/")})`;
  if (after[0] !== 0) return `${after[0]} rows older than ${action.retentionDays} days were left`;
  if (after[1] !== 2) return `${2 - after[1]} rows within the retention were deleted`;
  return undefined;
}

async function probeSnapshot(
  ctx: JobProbeContext,
  action: Extract<JobAction, { kind: "snapshot" }>,
  command: string,
) {
  const source = sql.qualifiedName({ schema: "public", table: action.table });
  const [{ n: expected }] = await rows<{ n: number }>(
    ctx.adminUrl,
    `SELECT count(*)::int AS n FROM ${source}`,
  );
  await runAsJobOwner(ctx, command);
  const [meta] = await rows<{ name: string; copied: string }>(
    ctx.adminUrl,
    `SELECT details ->> 'snapshot' AS name, details ->> 'rows' AS copied FROM public.backup_metadata
      WHERE kind = 'snapshot' AND status = 'succeeded' AND details ->> 'table' = $1 ORDER BY id DESC LIMIT 1`,
    [`public.${action.table}`],
  );
  if (!meta) return "no backup_metadata row records the snapshot";
  if (!new RegExp(`^${action.table}_\\d{8}_\\d{6}$`).test(meta.name))
    return `unexpected snapshot name ${meta.name}`;
  const [{ n }] = await rows<{ n: number }>(
    ctx.adminUrl,
    `SELECT count(*)::int AS n FROM ${sql.qualifiedName({ schema: sql.SNAPSHOT_SCHEMA, table: meta.name })}`,
  );
  if (n !== expected || Number(meta.copied) !== expected) {
    return `snapshot holds ${n} rows (recorded ${meta.copied}), the table ${expected}`;
  }
  return expected > 0 ? undefined : "the table was empty: nothing proven";
}

async function probeCleanup(ctx: JobProbeContext, retentionDays: number, command: string) {
  const schema = sql.SNAPSHOT_SCHEMA;
  const expired = "launchpad_rehearsal_20000101_000000";
  const recent = "launchpad_rehearsal_29990101_000000";
  await withClient(ctx.migratorUrl, async (c) => {
    for (const name of [expired, recent]) await c.query(`CREATE TABLE ${schema}.${name} (id integer)`);
    await c.query(
      `INSERT INTO public.backup_metadata (kind, status, started_at, details) VALUES
         ('snapshot', 'succeeded', now() - interval '${retentionDays + 1} days', jsonb_build_object('snapshot', $1::text)),
         ('snapshot', 'succeeded', now() - interval '${Math.max(retentionDays - 1, 0)} days', jsonb_build_object('snapshot', $2::text))`,
      [expired, recent],
    );
  });
  await runAsJobOwner(ctx, command);
  const left = await rows<{ name: string }>(
    ctx.adminUrl,
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2) ORDER BY 1",
    [schema, [expired, recent]],
  );
  const marked = await rows<{ name: string }>(
    ctx.adminUrl,
    "SELECT details ->> 'snapshot' AS name FROM public.backup_metadata WHERE details ? 'removed_at'",
  );
  if (left.some((r) => r.name === expired)) return `the snapshot older than ${retentionDays} days was kept`;
  if (!left.some((r) => r.name === recent)) return "a snapshot within the retention was dropped";
  if (!marked.some((r) => r.name === expired))
    return "the dropped snapshot's metadata row was not marked removed_at";
  return undefined;
}

/** Probes of every job that was scheduled. */
export async function probeJobs(ctx: JobProbeContext, applied: readonly Applied[]): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const resource of applied) {
    const step = resource.step;
    if (step.kind !== "cron-job") continue;
    const subject = `job ${step.inputs.jobName}`;
    const [job] = await rows<{ schedule: string; command: string; username: string; active: boolean }>(
      ctx.adminUrl,
      "SELECT schedule, command, username, active FROM cron.job WHERE jobname = $1",
      [step.inputs.jobName],
    );
    const scheduled = !job
      ? "not in cron.job"
      : job.schedule !== step.inputs.schedule || job.command !== step.inputs.command || !job.active
        ? `cron.job holds schedule ${job.schedule}, active ${job.active}, command ${job.command === step.inputs.command ? "as declared" : "changed"}`
        : job.username !== ctx.plan.roles.migrator.name
          ? `runs as ${job.username}, not the migrator`
          : undefined;
    results.push(
      verdict(subject, `scheduled in cron.job at "${step.inputs.schedule}" as the migrator`, scheduled),
    );
    const action = step.action;
    if (action.kind === "purge" && !PLATFORM_ROWS[action.table]) {
      results.push(
        notRehearsed(subject, "its command does what it says", "purges are probed on platform tables"),
      );
      continue;
    }
    try {
      const problem =
        action.kind === "purge"
          ? await probePurge(ctx, action, step.inputs.command)
          : action.kind === "snapshot"
            ? await probeSnapshot(ctx, action, step.inputs.command)
            : await probeCleanup(ctx, action.retentionDays, step.inputs.command);
      results.push(verdict(subject, "its command does what it says", problem));
    } catch (error) {
      results.push(failed(subject, "its command does what it says", (error as Error).message));
    }
  }
  return results.length > 0 ? results : [passed("jobs", "none declared")];
}
