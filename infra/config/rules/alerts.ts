import type { KeyPath } from "../key-paths";
import { APP_METRICS, type AppSpec, type MetricsContract } from "../schema";
import { appPath, type RuleIssue } from "./types";

/** The column the SQL metrics contract reads on the app's table (`queued`, `failed`, …). */
export const STATUS_COLUMN = "status";
/** When a row was last written, latest first: at least one must exist. */
export const WRITE_TIME_COLUMNS = ["updated_at", "created_at"] as const;

/**
 * The services a prometheus contract names exist, one at least runs in the stack, and none is a public
 * service serving its metrics on the port the proxy publishes: Fly scrapes the machines' private
 * address, so the metrics port need not (and must not) be reachable from the internet.
 */
function scrapeRules(
  app: AppSpec,
  metrics: Extract<MetricsContract, { source: "prometheus" }>,
  at: (...path: Array<string | number>) => KeyPath,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  metrics.services.forEach((service, i) => {
    const spec = app.services[service];
    if (!spec) {
      const known = Object.keys(app.services);
      issues.push({
        path: at("alerts", "metrics", "services", i),
        message: `the app declares no service "${service}"${known.length ? ` (it has ${known.join(", ")})` : ""}`,
      });
    } else if (spec.port === metrics.port && (spec.public ?? spec.kind === "web")) {
      issues.push({
        path: at("alerts", "metrics", "port"),
        message: `${metrics.port} is the port public service "${service}" serves through Fly's proxy; serve the metrics on another port so they stay private`,
      });
    }
  });
  const listed = metrics.services.filter((s) => app.services[s]);
  if (listed.length === metrics.services.length && !listed.some((s) => app.services[s]!.enabled)) {
    issues.push({
      path: at("alerts", "metrics", "services"),
      message:
        "prometheus metrics are scraped from Fly.io services, and none of these is enabled in this stack",
    });
  }
  return issues;
}

/**
 * The thresholds that name their data source have one: a database for database-down, a valid
 * metrics contract for the app-level thresholds. (A threshold left without a monitor, e.g. 5xx once
 * a stack disables the app's only service, is the policy pack's to report, at the stack's level.)
 */
export function alertRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  const { thresholds, metrics } = app.alerts;
  if (thresholds.databaseDown && !app.database) {
    issues.push({
      path: at("alerts", "thresholds", "databaseDown"),
      message: "the app declares no database",
    });
  }
  for (const key of ["failureRatePercent", "queueSize"] as const) {
    if (thresholds[key] === undefined) continue;
    if (!metrics) {
      issues.push({
        path: at("alerts", "thresholds", key),
        message: "needs alerts.metrics: the metrics or rows the app exposes for it (docs/monitoring.md)",
      });
    } else if (
      metrics.source === "prometheus" &&
      !metrics.names.some((metric) => APP_METRICS[metric] === key)
    ) {
      const wanted = Object.entries(APP_METRICS).find(([, k]) => k === key)![0];
      issues.push({
        path: at("alerts", "metrics", "names"),
        message: `lists no metric for ${key}; expected ${wanted}`,
      });
    }
  }
  if (metrics?.source === "prometheus") issues.push(...scrapeRules(app, metrics, at));
  if (metrics?.source === "sql") {
    const table = app.database?.tables[metrics.table];
    if (!app.database) {
      issues.push({ path: at("alerts", "metrics", "source"), message: "the app declares no database" });
    } else if (!table) {
      issues.push({
        path: at("alerts", "metrics", "table"),
        message: `the app's database declares no table "${metrics.table}"`,
      });
    } else if (!(STATUS_COLUMN in table.columns)) {
      issues.push({
        path: at("alerts", "metrics", "table"),
        message: `table "${metrics.table}" declares no "${STATUS_COLUMN}" column (the contract reads it)`,
      });
    } else if (!WRITE_TIME_COLUMNS.some((c) => c in table.columns)) {
      issues.push({
        path: at("alerts", "metrics", "table"),
        message: `table "${metrics.table}" declares neither ${WRITE_TIME_COLUMNS.join(" nor ")} (the failure rate's window reads them)`,
      });
    }
  }
  return issues;
}
