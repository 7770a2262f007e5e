import { z } from "zod";
import { envName, sqlIdentifier } from "./common";

/** A percentage that means something as an alert threshold: above 0, at most 100. */
const percent = z
  .number()
  .gt(0, "expected a percentage above 0 (0 % would fire on every sample)")
  .max(100, "expected a percentage of at most 100");

/** The seeds' alert thresholds; each one declared here is evaluated by a monitor (checklist 8). */
export const alertThresholdsSchema = z
  .object({
    /** Failed share of the app's own work (requests, submissions), from its metrics contract. */
    failureRatePercent: percent.optional(),
    /** Response time: synthetic checks (average) and, for APIs on Fly.io, p95 latency. */
    responseTimeMs: z.number().int().min(1, "expected a time of at least 1 ms").optional(),
    /** Items waiting in the app's queue, from its metrics contract. */
    queueSize: z.number().int().min(1, "expected a queue size of at least 1").optional(),
    /** Any 5xx answered by the app's Fly.io services. */
    http5xx: z.boolean().optional(),
    /** The app's database stops answering. */
    databaseDown: z.boolean().optional(),
    /** Memory of a Fly.io machine at or above this share of its size. */
    resourceUtilizationPercent: percent.optional(),
  })
  .strict();

/**
 * Metric names an app may expose on its metrics port for the app-level thresholds; Fly.io's managed
 * Prometheus adds the `app` label (the Fly app's name) when it scrapes them.
 */
export const APP_METRICS = {
  /** Counter of handled units of work, labelled `outcome="success"|"failure"`. */
  launchpad_requests_total: "failureRatePercent",
  /** Gauge of items waiting to be processed. */
  launchpad_queue_size: "queueSize",
} as const;
export type AppMetricName = keyof typeof APP_METRICS;

const appMetricName = z.enum(Object.keys(APP_METRICS) as [AppMetricName, ...AppMetricName[]], {
  error: (issue) =>
    `unknown metric ${JSON.stringify(issue.input)}; the contract knows ${Object.keys(APP_METRICS).join(", ")}`,
});

/**
 * Where the app-level thresholds (failure rate, queue size) are read:
 * - `prometheus`: metrics the listed Fly.io services serve on `port` and `path`, which Fly scrapes
 *   every 15 s into the organisation's Prometheus (names from APP_METRICS);
 * - `sql`: rows the app writes to `table`, read by the analytics role: the failure rate is the
 *   share of rows written in the last 15 minutes (`updated_at`, else `created_at`) with
 *   `status = 'failed'`, the queue the rows with `status = 'queued'`.
 */
export const metricsContractSchema = z.discriminatedUnion("source", [
  z
    .object({
      source: z.literal("prometheus"),
      names: z.array(appMetricName).min(1),
      /** The app's services whose machines serve the metrics; Fly scrapes each of their machines. */
      services: z
        .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "expected the name of one of the app's services"))
        .min(1, "expected at least one service that serves the metrics"),
      /** Port the services serve the metrics on, on the machine's private address (Fly's `[metrics] port`). */
      port: z
        .number()
        .int("expected a whole port number")
        .min(1, "expected a port from 1 to 65535")
        .max(65535, "expected a port from 1 to 65535"),
      /** HTTP path of the metrics (Fly's `[metrics] path`). */
      path: z
        .string()
        .regex(/^\/[^\s?#]*$/, "expected a path starting with / (no query, no spaces), such as /metrics")
        .default("/metrics"),
    })
    .strict(),
  z.object({ source: z.literal("sql"), table: sqlIdentifier }).strict(),
]);

export const alertsSchema = z
  .object({
    /** Discord channel the app's alerts go to. */
    channel: z.string().regex(/^[a-z0-9-]+$/, "expected a Discord channel name"),
    /** Stack secret that holds the channel's webhook URL. */
    webhookSecret: envName.default("DISCORD_WEBHOOK_URL"),
    thresholds: alertThresholdsSchema.default({}),
    /** What the app exposes for its app-level thresholds (docs/monitoring.md). */
    metrics: metricsContractSchema.optional(),
  })
  .strict();

/**
 * A duration as Grafana reads notification settings (`model.ParseDuration` of prometheus/common):
 * units y, w, d, h, m, s, ms, largest first, e.g. `30s`, `1h30m`, `5d`.
 */
const PROMETHEUS_DURATION =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1] as const;

/** Milliseconds of a Prometheus duration; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = text === "" ? null : PROMETHEUS_DURATION.exec(text);
  if (!match) return undefined;
  return UNIT_MS.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unit, 0);
}

const duration = z
  .string()
  .refine((text) => durationMs(text) !== undefined, "expected a duration such as 30s, 5m, 4h or 5d");

/**
 * Grafana's Alertmanager forgets a sent notification after 5 days (its notification log retention:
 * `[unified_alerting] notification_log_retention`, default 5 days, in grafana/grafana
 * pkg/setting/setting_unified_alerting.go) and sends a still-firing alert again then: a longer
 * repeat interval is not honoured.
 */
export const MAX_REPEAT_INTERVAL = "5d";

/**
 * Grafana's data source UID for the Grafana Cloud stack's hosted Prometheus, where Synthetic
 * Monitoring writes its metrics (`DEFAULT_METRICS_DS_UID` in grafana/synthetic-monitoring-app
 * src/datasource/constants.ts).
 */
export const GRAFANA_CLOUD_METRICS_UID = "grafanacloud-prom";

/** How loud a stack's alerts are, and where its synthetic checks run from. */
export const alertingProfileSchema = z
  .object({
    /**
     * `alert`: one message per alert of the app, its machines folded together; `instance`: one per
     * alert and machine. (Grafana requires `alertname` in any grouping a rule sets.)
     */
    groupBy: z.enum(["alert", "instance"]).default("instance"),
    /** How long a new group waits for more alerts before its first message. */
    groupWait: duration.default("30s"),
    /** How long a group waits before it sends the alerts added to it since its last message. */
    groupInterval: duration.default("5m"),
    /** How often a still-firing alert is sent again: at least groupInterval, at most 5d. */
    repeatInterval: duration.default("4h"),
    /**
     * Names of the Synthetic Monitoring probes the checks run from, as the account lists them
     * (`grafana_synthetic_monitoring_probes`); their ids are read from the account at deploy time.
     */
    probes: z
      .array(z.string().min(1, "expected a probe name"))
      .min(1, "expected at least one probe")
      .refine((names) => new Set(names).size === names.length, "expected each probe once"),
    /** UID of the Grafana data source holding Synthetic Monitoring's metrics. */
    checkMetricsDatasourceUid: z
      .string()
      .regex(
        /^[a-zA-Z0-9_-]{1,40}$/,
        "expected a Grafana data source UID (letters, digits, - and _; 40 at most)",
      )
      .default(GRAFANA_CLOUD_METRICS_UID),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const group = durationMs(profile.groupInterval);
    const repeat = durationMs(profile.repeatInterval);
    if (group === 0)
      ctx.addIssue({ code: "custom", path: ["groupInterval"], message: "expected a duration above 0" });
    if (repeat === undefined) return;
    if (repeat === 0)
      ctx.addIssue({ code: "custom", path: ["repeatInterval"], message: "expected a duration above 0" });
    if (group !== undefined && repeat < group) {
      // Alertmanager would re-send once per group interval instead (grafana/grafana#69413).
      ctx.addIssue({
        code: "custom",
        path: ["repeatInterval"],
        message: `expected at least groupInterval (${profile.groupInterval})`,
      });
    }
    if (repeat > durationMs(MAX_REPEAT_INTERVAL)!) {
      ctx.addIssue({
        code: "custom",
        path: ["repeatInterval"],
        message: `expected at most ${MAX_REPEAT_INTERVAL}: Grafana re-sends a firing alert once its notification log forgets it, after 5 days`,
      });
    }
  });

export type AlertsSpec = z.infer<typeof alertsSchema>;
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;
export type MetricsContract = z.infer<typeof metricsContractSchema>;
export type AlertingProfile = z.infer<typeof alertingProfileSchema>;
