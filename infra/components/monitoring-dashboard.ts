/** One dashboard per app and stack: uptime, latency, error rate, deploys; pure JSON. */
import type { FlyTargets } from "./monitoring-rules";

export interface DashboardInput {
  uid: string;
  title: string;
  /** Synthetic Monitoring's `job` label of each of the app's checks. */
  checkJobs: string[];
  fly: FlyTargets;
  /** UID of the Fly metrics data source, when the app runs on Fly.io. */
  flyDatasourceUid?: string;
}

type Panel = Record<string, unknown>;

function panel(id: number, title: string, unit: string, expr: string, datasource: string): Panel {
  return {
    id,
    title,
    type: "timeseries",
    gridPos: { h: 8, w: 12, x: ((id - 1) % 2) * 12, y: Math.floor((id - 1) / 2) * 8 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    datasource: { type: "prometheus", uid: datasource },
    targets: [{ refId: "A", expr }],
  };
}

/** The dashboard's JSON model (grafana_dashboard.config_json). */
export function dashboardJson(input: DashboardInput): string {
  const jobs = input.checkJobs.join("|");
  // Synthetic Monitoring writes to the stack's own Prometheus, Grafana's default data source.
  const sm = "${sm_metrics}";
  const panels: Panel[] = [
    panel(1, "Uptime", "percentunit", `avg by (job) (avg_over_time(probe_success{job=~"${jobs}"}[5m]))`, sm),
    panel(
      2,
      "Response time (synthetic)",
      "s",
      `avg by (job) (probe_http_total_duration_seconds{job=~"${jobs}"})`,
      sm,
    ),
  ];
  if (input.flyDatasourceUid && input.fly.public.length > 0) {
    const edge = `app=~"${input.fly.public.join("|")}"`;
    panels.push(
      panel(
        3,
        "p95 latency",
        "s",
        `histogram_quantile(0.95, sum by (app, le) (rate(fly_edge_http_response_time_seconds_bucket{${edge}}[5m])))`,
        input.flyDatasourceUid,
      ),
      panel(
        4,
        "Error rate (5xx)",
        "percentunit",
        `sum by (app) (rate(fly_edge_http_responses_count{${edge},status=~"5.."}[5m])) / sum by (app) (rate(fly_edge_http_responses_count{${edge}}[5m]))`,
        input.flyDatasourceUid,
      ),
    );
  }
  return JSON.stringify({
    uid: input.uid,
    title: input.title,
    tags: ["launchpad"],
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-24h", to: "now" },
    templating: {
      list: [{ name: "sm_metrics", type: "datasource", query: "prometheus", regex: "grafanacloud-.*-prom" }],
    },
    // Deploys: Grafana's built-in annotations of the alerting folder; CI posts its own to Discord.
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: "grafana", uid: "-- Grafana --" },
          enable: true,
          name: "Deploys and alerts",
        },
      ],
    },
    panels,
  });
}
