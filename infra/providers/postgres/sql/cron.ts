/**
 * pg_cron jobs. `cron.schedule(jobname, ...)` replaces a job of the same name, so a stable name makes
 * re-applying idempotent. Job values travel as query parameters, never spliced into SQL.
 */
import type { CronJobSpec, TableName } from "../types";
import { cronScheduleProblem } from "./cron-schedule";
import { displayName, parseTableName, qualifiedName, quoteIdent } from "./ident";

export const PG_CRON_MISSING =
  "pg_cron is not installed on this database. Enable it: on Supabase, Dashboard → Database → " +
  "Extensions → pg_cron; on your own Postgres, add pg_cron to shared_preload_libraries in " +
  "postgresql.conf, restart, then run CREATE EXTENSION pg_cron (in the database named by cron.database_name)";

export function validateCronJob(spec: CronJobSpec): void {
  // Job names are free text for pg_cron; keep them to identifier-like names so they stay stable.
  if (typeof spec.jobName !== "string" || !/^[A-Za-z0-9_.:-]{1,63}$/.test(spec.jobName)) {
    throw new Error(
      `cron job name ${JSON.stringify(spec.jobName)}: use 1 to 63 letters, digits, '_', '-', '.' or ':'`,
    );
  }
  // The config loader's grammar, so a resource declared outside the catalog meets the same rule.
  const problem =
    typeof spec.schedule === "string" ? cronScheduleProblem(spec.schedule) : "expected a string";
  if (problem) {
    throw new Error(
      `cron job ${spec.jobName}: schedule ${JSON.stringify(spec.schedule)} is not a pg_cron schedule (${problem})`,
    );
  }
  if (typeof spec.command !== "string" || spec.command.trim().length === 0) {
    throw new Error(`cron job ${spec.jobName}: the command is empty`);
  }
}

export function scheduleQuery(spec: CronJobSpec): { text: string; values: unknown[] } {
  return {
    text: "SELECT cron.schedule($1, $2, $3) AS jobid",
    values: [spec.jobName, spec.schedule, spec.command],
  };
}

export function unscheduleQuery(jobName: string): { text: string; values: unknown[] } {
  return { text: "SELECT cron.unschedule($1)", values: [jobName] };
}

/** Human-readable form of a scheduled job, for review. */
export function scheduleStatement(spec: CronJobSpec): string {
  const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
  return `SELECT cron.schedule(${literal(spec.jobName)}, ${literal(spec.schedule)}, ${literal(spec.command)})`;
}

/** `DELETE FROM <table> WHERE <column> < now() - interval 'N days'`: a retention purge. */
export function purgeCommand(table: TableName | string, column: string, retentionDays: number): string {
  const name = typeof table === "string" ? parseTableName(table) : table;
  if (!Number.isSafeInteger(retentionDays) || retentionDays <= 0) {
    throw new Error(`purge of ${displayName(name)}: retention must be a positive whole number of days`);
  }
  return (
    `DELETE FROM ${qualifiedName(name)} WHERE ${quoteIdent(column, "purge column")} ` +
    `< now() - interval '${retentionDays} days'`
  );
}
