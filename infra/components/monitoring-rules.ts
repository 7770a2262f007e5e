/**
 * The alert rules of one app, as plain data: PromQL over Fly.io's managed metrics and SQL over the
 * app's rows. Pure, so Prometheus's own evaluator (`promtool test rules`) and a real Postgres can
 * prove each one fires exactly past its threshold.
 */
import type { AlertThresholds, AppSpec, MetricsContract } from "../config";
import { WRITE_TIME_COLUMNS } from "../config/rules";

/** What a monitor watches; the label `monitor` on every rule, and the policy's vocabulary. */
export type MonitorKind =
  | "check-failing"
  | "check-latency"
  | "tls-expiry"
  | "http-5xx"
  | "latency-p95"
  | "memory"
  | "machine-down"
  | "failure-rate"
  | "queue-size"
  | "database-down";

/** The threshold key (alerts.thresholds) a monitor evaluates, where it evaluates one. */
export const MONITOR_THRESHOLD: Record<MonitorKind, keyof AlertThresholds | undefined> = {
  "check-failing": undefined,
  "check-latency": "responseTimeMs",
  "tls-expiry": undefined,
  "http-5xx": "http5xx",
  "latency-p95": "responseTimeMs",
  memory: "resourceUtilizationPercent",
  "machine-down": undefined,
  "failure-rate": "failureRatePercent",
  "queue-size": "queueSize",
  "database-down": "databaseDown",
};

export interface PromRule {
  monitor: MonitorKind;
  /** Alert name, unique in the app's group; a valid metric name, as Prometheus requires. */
  name: string;
  /**
   * Returns a series exactly while the threshold is breached, valued above 0 (Grafana's threshold
   * stage fires on a value above 0).
   */
  expr: string;
  /** How long it must hold before it fires. */
  for: string;
  summary: string;
}

export interface SqlRule {
  monitor: MonitorKind;
  name: string;
  /** Returns one row with a `value` column. */
  sql: string;
  /** Fires when `value` is strictly above this; database-down fires on any error instead. */
  above?: number;
  summary: string;
}

/** The Fly apps an app's services run as; each carries its name in Fly's `app` label. */
export interface FlyTargets {
  /** Every enabled service's Fly app (memory, machines). */
  all: string[];
  /** Public web services' Fly apps (5xx, latency at the edge). */
  public: string[];
}

/** The Fly apps, with the machines each keeps running (none stopped by Fly's proxy): those must report up. */
export interface FlyFleet extends FlyTargets {
  running: Record<string, number>;
}

/** Fly app names are `[a-z0-9-]`: a regex alternation of them needs no escaping. */
function appMatcher(apps: readonly string[]): string {
  return `app=~"${apps.join("|")}"`;
}

const WINDOW = "5m";

/**
 * Per Fly app, the machines missing from the ones it keeps running, where any are. Fly reports
 * `fly_instance_up` only while a machine runs: a stopped or destroyed machine's series vanishes, so
 * the rule counts the series present (0 when none are) instead of reading their values.
 */
function machineDownExpr(running: Record<string, number>): string | undefined {
  const clauses = Object.entries(running)
    .filter(([, n]) => n > 0)
    .map(
      ([app, n]) =>
        `(${n} - (count by (app) (fly_instance_up{app="${app}"} == 1) or label_replace(vector(0), "app", "${app}", "", ""))) > 0`,
    );
  return clauses.length > 0 ? clauses.join("\nor\n") : undefined;
}

export function promRules(thresholds: AlertThresholds, fly: FlyFleet, metrics?: MetricsContract): PromRule[] {
  const rules: PromRule[] = [];
  if (fly.public.length > 0) {
    const edge = appMatcher(fly.public);
    if (thresholds.http5xx) {
      rules.push({
        monitor: "http-5xx",
        name: "Http5xx",
        expr: `sum by (app) (increase(fly_edge_http_responses_count{${edge},status=~"5.."}[${WINDOW}])) > 0`,
        for: "0s",
        summary: "The API answered 5xx errors in the last 5 minutes.",
      });
    }
    if (thresholds.responseTimeMs !== undefined) {
      const seconds = thresholds.responseTimeMs / 1000;
      rules.push({
        monitor: "latency-p95",
        name: "LatencyP95",
        expr: `histogram_quantile(0.95, sum by (app, le) (rate(fly_edge_http_response_time_seconds_bucket{${edge}}[${WINDOW}]))) > ${seconds}`,
        for: WINDOW,
        summary: `p95 response time above ${thresholds.responseTimeMs} ms.`,
      });
    }
  }
  if (fly.all.length > 0) {
    const all = appMatcher(fly.all);
    if (thresholds.resourceUtilizationPercent !== undefined) {
      const ratio = thresholds.resourceUtilizationPercent / 100;
      rules.push({
        monitor: "memory",
        name: "MemoryHigh",
        expr: `max by (app, instance) (1 - fly_instance_memory_mem_available{${all}} / fly_instance_memory_mem_total{${all}}) >= ${ratio}`,
        for: WINDOW,
        summary: `A machine uses ${thresholds.resourceUtilizationPercent} % of its memory or more.`,
      });
    }
    const down = machineDownExpr(fly.running);
    if (down) {
      rules.push({
        monitor: "machine-down",
        name: "MachineDown",
        expr: down,
        for: "2m",
        summary: "Fewer machines report up than the service keeps running.",
      });
    }
  }
  if (metrics?.source === "prometheus" && fly.all.length > 0) {
    const all = appMatcher(fly.all);
    if (thresholds.failureRatePercent !== undefined && metrics.names.includes("launchpad_requests_total")) {
      rules.push({
        monitor: "failure-rate",
        name: "FailureRate",
        expr:
          `100 * sum by (app) (rate(launchpad_requests_total{${all},outcome="failure"}[${WINDOW}]))` +
          ` / sum by (app) (rate(launchpad_requests_total{${all}}[${WINDOW}])) > ${thresholds.failureRatePercent}`,
        for: WINDOW,
        summary: `More than ${thresholds.failureRatePercent} % of the app's work fails.`,
      });
    }
    if (thresholds.queueSize !== undefined && metrics.names.includes("launchpad_queue_size")) {
      rules.push({
        monitor: "queue-size",
        name: "QueueSize",
        expr: `max by (app) (launchpad_queue_size{${all}}) > ${thresholds.queueSize}`,
        for: WINDOW,
        summary: `More than ${thresholds.queueSize} items wait in the queue.`,
      });
    }
  }
  return rules;
}

const quote = (identifier: string): string => `"${identifier}"`;

/** Minutes of writes the SQL failure rate looks back over. */
export const SQL_WINDOW_MINUTES = 15;

/** The SQL contract with the table's write-time columns resolved (latest first). */
export interface SqlContract {
  table: string;
  /** `updated_at` and/or `created_at`: when a row was last written. */
  timeColumns: string[];
}

/** The app's SQL contract, when its metrics are rows of one of its tables. */
export function sqlContractOf(spec: AppSpec): SqlContract | undefined {
  const metrics = spec.alerts.metrics;
  if (metrics?.source !== "sql") return undefined;
  const columns = spec.database?.tables[metrics.table]?.columns ?? {};
  return { table: metrics.table, timeColumns: WRITE_TIME_COLUMNS.filter((c) => c in columns) };
}

/**
 * SQL rules over the app's rows, read by its analytics role (schema `public`): the failure rate
 * among rows written in the window, the queue as rows waiting.
 */
export function sqlRules(thresholds: AlertThresholds, metrics?: SqlContract, hasDatabase = false): SqlRule[] {
  const rules: SqlRule[] = [];
  if (hasDatabase && thresholds.databaseDown) {
    rules.push({
      monitor: "database-down",
      name: "DatabaseDown",
      sql: "SELECT 1 AS value",
      summary: "The database does not answer the analytics role.",
    });
  }
  if (!metrics) return rules;
  const table = metrics.table;
  if (thresholds.failureRatePercent !== undefined) {
    const written = metrics.timeColumns.map(quote).join(", ");
    rules.push({
      monitor: "failure-rate",
      name: "FailureRate",
      sql: [
        "SELECT coalesce(100.0 * count(*) FILTER (WHERE status = 'failed') / nullif(count(*), 0), 0)::float8 AS value",
        `FROM public.${quote(table)}`,
        `WHERE coalesce(${written}) > now() - interval '${SQL_WINDOW_MINUTES} minutes'`,
      ].join("\n"),
      above: thresholds.failureRatePercent,
      summary: `More than ${thresholds.failureRatePercent} % of the rows of ${table} written in ${SQL_WINDOW_MINUTES} minutes failed.`,
    });
  }
  if (thresholds.queueSize !== undefined) {
    rules.push({
      monitor: "queue-size",
      name: "QueueSize",
      sql: `SELECT count(*)::float8 AS value FROM public.${quote(table)} WHERE status = 'queued'`,
      above: thresholds.queueSize,
      summary: `More than ${thresholds.queueSize} rows of ${table} wait in the queue.`,
    });
  }
  return rules;
}
