/**
 * Each app's dashboard in each stack, as the program declares it: every panel reads a data source the
 * stack has (one the program creates, or the Grafana Cloud stack's own Prometheus through the template
 * variable), every metric it names exists (Fly's built-in list, Synthetic Monitoring's HTTP metrics),
 * and deploys show as annotations and a panel, on the tags the deploy workflow posts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { flyTargets, publicEndpoints } from "../../infra/components/monitoring-checks";
import { deployTags } from "../../infra/components/monitoring-dashboard";
import { GRAFANA } from "../../policies/rules/lib/types";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { metricNames } from "../monitoring/promql-names";
import { evaluateAll, ofType, one, platformOf, STACKS, type Stack } from "./support";

const DASHBOARD = "grafana:oss/dashboard:Dashboard";
const DATA_SOURCE = "grafana:oss/dataSource:DataSource";

/**
 * Fly.io's built-in series the dashboards may read: superfly/docs `metrics-and-logs/metrics.html.md`
 * ("Built-in metrics": edge proxy and instance series; a histogram `<name>` exposes `_bucket`,
 * `_sum`, `_count`).
 */
const FLY_METRICS = new Set([
  "fly_edge_http_responses_count",
  "fly_edge_http_response_time_seconds_bucket",
  "fly_edge_http_response_time_seconds_sum",
  "fly_edge_http_response_time_seconds_count",
  "fly_app_http_responses_count",
  "fly_instance_up",
  "fly_instance_memory_mem_total",
  "fly_instance_memory_mem_available",
]);

/**
 * What Synthetic Monitoring records for an HTTP check (grafana/synthetic-monitoring-app: the uptime and
 * latency queries of its check dashboards read `probe_success` and the `probe_all_duration_seconds`
 * histogram; `probe_http_total_duration_seconds` is only recorded by k6-run MultiHTTP and scripted checks).
 */
const SM_HTTP_METRICS = new Set([
  "probe_success",
  "probe_duration_seconds",
  "probe_all_duration_seconds_sum",
  "probe_all_duration_seconds_count",
  "probe_all_success_sum",
  "probe_all_success_count",
]);

interface DashboardModel {
  uid: string;
  templating: { list: Array<{ name: string; type: string; query?: string }> };
  annotations: {
    list: Array<{
      name: string;
      datasource: { type: string; uid: string };
      enable: boolean;
      target?: { type: string; tags: string[]; matchAny: boolean };
    }>;
  };
  panels: Array<{
    id: number;
    title: string;
    type: string;
    datasource: { type: string; uid: string };
    targets?: Array<{ expr: string }>;
    options?: { tags?: string[]; onlyFromThisDashboard?: boolean };
  }>;
}

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

function dashboardOf(
  e: StackEvaluation,
  app: string,
): { model: DashboardModel; monitoring: RecordedResource } {
  const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
  const dashboard = one(e, DASHBOARD, `${app}-monitoring-dashboard`);
  expect(dashboard.parent).toBe(monitoring.urn);
  return { model: JSON.parse(String(dashboard.inputs["configJson"])) as DashboardModel, monitoring };
}

describe.each(STACKS)("the dashboards of %s", (stack) => {
  const platform = platformOf(stack);
  const apps = Object.keys(platform.apps);

  it.each(apps)("%s: every panel reads a data source the stack has", (app) => {
    const e = stacks[stack];
    const { model, monitoring } = dashboardOf(e, app);
    const created = new Map(
      ofType(e, DATA_SOURCE)
        .filter((d) => d.parent === monitoring.urn)
        .map((d) => [String(d.inputs["uid"]), String(d.inputs["type"])]),
    );
    const variables = new Map(model.templating.list.map((v) => [v.name, v]));
    for (const panel of model.panels) {
      const { type, uid } = panel.datasource;
      if (type === "grafana") {
        expect({ panel: panel.title, uid }).toEqual({ panel: panel.title, uid: "-- Grafana --" });
        continue;
      }
      expect({ panel: panel.title, type }).toEqual({ panel: panel.title, type: "prometheus" });
      const variable = /^\$\{(\w+)\}$/.exec(uid)?.[1];
      if (variable) {
        expect(variables.get(variable)).toMatchObject({ type: "datasource", query: "prometheus" });
      } else {
        expect({ panel: panel.title, source: created.get(uid) }).toEqual({
          panel: panel.title,
          source: "prometheus",
        });
      }
    }
  });

  it.each(apps)("%s: every metric a panel reads is one its source records", (app) => {
    const { model } = dashboardOf(stacks[stack], app);
    const queried = model.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, expr: t.expr })));
    expect(queried.length).toBeGreaterThan(0);
    for (const { panel, expr } of queried) {
      const known = panel.datasource.uid.startsWith("${") ? SM_HTTP_METRICS : FLY_METRICS;
      const names = metricNames(expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect({ panel: panel.title, name, known: known.has(name) }).toMatchObject({ known: true });
    }
  });

  it.each(apps)("%s: uptime and latency of each endpoint, Fly's edge for its public services", (app) => {
    const spec = platform.apps[app]!;
    const { model } = dashboardOf(stacks[stack], app);
    const titles = model.panels.map((p) => p.title);
    const endpoints = publicEndpoints(app, spec, platform.environment);
    const fly = flyTargets(app, spec, platform.environment);
    expect(titles.includes("Uptime")).toBe(endpoints.length > 0);
    expect(titles.includes("p95 latency")).toBe(fly.public.length > 0);
    expect(titles.includes("Error rate (5xx)")).toBe(fly.public.length > 0);
    const exprs = model.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");
    for (const endpoint of endpoints) expect(exprs).toContain(`${model.uid}-${endpoint.part}`);
    for (const flyApp of fly.public) expect(exprs).toContain(flyApp);
  });

  it.each(apps)(
    "%s: deploys as annotations on the app's and stack's tags, and a panel listing them",
    (app) => {
      const { model } = dashboardOf(stacks[stack], app);
      const deploys = model.annotations.list.filter((a) => a.target?.type === "tags");
      expect(deploys).toHaveLength(1);
      const query = deploys[0]!;
      expect(query).toMatchObject({ enable: true, datasource: { type: "grafana", uid: "-- Grafana --" } });
      // All the tags must match: another app's or another stack's deploys stay off this dashboard.
      expect(query.target!.matchAny).toBe(false);
      expect(query.target!.tags).toEqual(expect.arrayContaining(["deploy", app, stack]));
      expect(query.target!.tags).toEqual(deployTags(app, stack));
      const panel = model.panels.find((p) => p.type === "annolist");
      expect(panel?.title).toBe("Deploys");
      expect(panel?.options).toMatchObject({ tags: query.target!.tags, onlyFromThisDashboard: false });
    },
  );

  it("gives each dashboard distinct deploy tags, so no app sees another's deploys", () => {
    const tagSets = apps.map(
      (app) => dashboardOf(stacks[stack], app).model.annotations.list.find((a) => a.target)!.target!.tags,
    );
    for (const [i, tags] of tagSets.entries()) {
      for (const [j, other] of tagSets.entries()) {
        if (i !== j) expect(other.every((t) => tags.includes(t))).toBe(false);
      }
    }
  });
});
