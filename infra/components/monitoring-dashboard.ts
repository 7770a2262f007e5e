/** One dashboard per app and stack: uptime, latency, error rate, deploys; pure JSON. */
import type { FlyTargets } from "./monitoring-rules";

export interface DashboardInput {
  uid: string;
  title: string;
  /** The app's name in the catalog; deploy marks carry it as a tag. */
  app: string;
  /** The stack's name; deploy marks carry it as a tag. */
  stack: string;
  /** Synthetic Monitoring's `job` label of each of the app's checks. */
  checkJobs: string[];
  fly: FlyTargets;
  /** UID of the Fly metrics data source, when the app runs on Fly.io. */
  flyDatasourceUid?: string;
}

/** The template variable that picks the Grafana Cloud stack's own Prometheus (where Synthetic Monitoring writes). */
export const SM_DATASOURCE_VARIABLE = "sm_metrics";

/** Grafana's built-in data source, which serves annotations stored in Grafana itself. */
export const GRAFANA_DATASOURCE = { type: "grafana", uid: "-- Grafana --" } as const;

/**
 * The tags of a deploy mark of `app` in `stack` (posted by .github/scripts/grafana-annotate.js on each
 * deploy and rollback); the dashboard shows the organisation annotations that carry all of them.
 */
export function deployTags(app: string, stack: string): string[] {
  return ["deploy", app, stack];
}

type Panel = Record<string, unknown>;

const WIDTH = 12;
const HEIGHT = 8;

/** Two panels a row, in the order given. */
function place(index: number, h = HEIGHT, w = WIDTH): { h: number; w: number; x: number; y: number } {
  return { h, w, x: (index % 2) * WIDTH, y: Math.floor(index / 2) * HEIGHT };
}

function timeseries(title: string, unit: string, expr: string, datasource: string): Panel {
  return {
    title,
    type: "timeseries",
    fieldConfig: { defaults: { unit }, overrides: [] },
    datasource: { type: "prometheus", uid: datasource },
    targets: [{ refId: "A", expr }],
  };
}

/** The metric panels: Synthetic Monitoring's for every public endpoint, Fly's edge for public services. */
function metricPanels(input: DashboardInput): Panel[] {
  const panels: Panel[] = [];
  if (input.checkJobs.length > 0) {
    // Job names are `[a-z0-9-]`: an alternation of them needs no escaping.
    const checks = `job=~"${input.checkJobs.join("|")}"`;
    const sm = `\${${SM_DATASOURCE_VARIABLE}}`;
    panels.push(
      timeseries("Uptime", "percentunit", `avg by (job) (avg_over_time(probe_success{${checks}}[5m]))`, sm),
      // HTTP checks record their duration in SM's `probe_all_duration_seconds` histogram (the
      // `probe_http_total_duration_seconds` series belong to k6-run MultiHTTP and scripted checks).
      timeseries(
        "Response time (synthetic)",
        "s",
        `sum by (job) (rate(probe_all_duration_seconds_sum{${checks}}[5m])) / sum by (job) (rate(probe_all_duration_seconds_count{${checks}}[5m]))`,
        sm,
      ),
    );
  }
  if (input.flyDatasourceUid && input.fly.public.length > 0) {
    const edge = `app=~"${input.fly.public.join("|")}"`;
    panels.push(
      timeseries(
        "p95 latency",
        "s",
        `histogram_quantile(0.95, sum by (app, le) (rate(fly_edge_http_response_time_seconds_bucket{${edge}}[5m])))`,
        input.flyDatasourceUid,
      ),
      timeseries(
        "Error rate (5xx)",
        "percentunit",
        `sum by (app) (rate(fly_edge_http_responses_count{${edge},status=~"5.."}[5m])) / sum by (app) (rate(fly_edge_http_responses_count{${edge}}[5m]))`,
        input.flyDatasourceUid,
      ),
    );
  }
  return panels;
}

/** The deploys of the app in the stack, newest first, from the annotations CI posts. */
function deploysPanel(tags: string[]): Panel {
  return {
    title: "Deploys",
    type: "annolist",
    datasource: GRAFANA_DATASOURCE,
    options: {
      onlyFromThisDashboard: false,
      onlyInTimeRange: true,
      tags,
      limit: 20,
      showUser: false,
      showTime: true,
      showTags: true,
      navigateToPanel: false,
      navigateBefore: "10m",
      navigateAfter: "10m",
    },
  };
}

/** The dashboard's JSON model (grafana_dashboard.config_json). */
export function dashboardJson(input: DashboardInput): string {
  const tags = deployTags(input.app, input.stack);
  const panels = [...metricPanels(input), deploysPanel(tags)].map((panel, i) => ({
    id: i + 1,
    gridPos: place(i),
    ...panel,
  }));
  return JSON.stringify({
    uid: input.uid,
    title: input.title,
    tags: ["launchpad"],
    timezone: "utc",
    schemaVersion: 39,
    time: { from: "now-24h", to: "now" },
    templating: {
      list: [
        {
          name: SM_DATASOURCE_VARIABLE,
          type: "datasource",
          query: "prometheus",
          regex: "grafanacloud-.*-prom",
        },
      ],
    },
    annotations: {
      list: [
        // Alerts of the app's rules, on every time series panel.
        {
          builtIn: 1,
          datasource: GRAFANA_DATASOURCE,
          enable: true,
          hide: true,
          name: "Annotations & Alerts",
          type: "dashboard",
        },
        // Deploys and rollbacks: organisation annotations carrying every one of the tags (matchAny off).
        {
          name: "Deploys",
          datasource: GRAFANA_DATASOURCE,
          enable: true,
          iconColor: "blue",
          target: { type: "tags", tags, matchAny: false, limit: 100 },
        },
      ],
    },
    panels,
  });
}
