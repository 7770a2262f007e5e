/** The monitoring's pure helpers, directly. */
import { describe, expect, it } from "vitest";
import {
  checkAlerts,
  checkTimeoutMs,
  flyTargets,
  publicEndpoints,
} from "../../infra/components/monitoring-checks";
import { notificationSettings } from "../../infra/components/monitoring-contact";
import { dashboardJson } from "../../infra/components/monitoring-dashboard";
import { promRules, sqlRules } from "../../infra/components/monitoring-rules";
import { flyAppName } from "../../infra/naming";
import { platformOf } from "../components/support";

const prod = platformOf("prod");
const env = prod.environment;

describe("publicEndpoints and flyTargets", () => {
  it.each(Object.entries(prod.apps))(
    "%s: the site and each enabled public web service, nothing private",
    (app, spec) => {
      const endpoints = publicEndpoints(app, spec, env);
      const web = Object.entries(spec.services).filter(
        ([, s]) => s.enabled && s.kind === "web" && s.public !== false,
      );
      expect(endpoints).toHaveLength((spec.frontend ? 1 : 0) + web.length);
      for (const e of endpoints) expect(e.url.startsWith("https://")).toBe(true);
      for (const [service, s] of web) {
        const api = endpoints.find((e) => e.part === service)!;
        expect(new URL(api.url).pathname).toBe(s.healthCheck?.path ?? "/health");
        expect(api.validStatusCodes).toEqual([200]);
      }
      const targets = flyTargets(app, spec, env);
      expect(targets.public).toEqual(web.map(([service, s]) => flyAppName(app, service, env, s)));
      expect(targets.all.length).toBe(Object.values(spec.services).filter((s) => s.enabled).length);
    },
  );
});

describe("check settings", () => {
  it("times out at the app's response-time threshold, within the provider's bounds, else 30 s", () => {
    expect(checkTimeoutMs({ responseTimeMs: 2000 })).toBe(2000);
    expect(checkTimeoutMs({})).toBe(30_000);
    expect(checkTimeoutMs({ responseTimeMs: 500 })).toBe(1000);
    expect(checkTimeoutMs({ responseTimeMs: 600_000 })).toBe(180_000);
  });

  it("alerts on failures and TLS expiry always, on response time only where the app sets one", () => {
    expect(checkAlerts({}).map((a) => a.name)).toEqual([
      "ProbeFailedExecutionsTooHigh",
      "TLSTargetCertificateCloseToExpiring",
    ]);
    expect(checkAlerts({ responseTimeMs: 5000 })).toContainEqual({
      name: "HTTPRequestDurationTooHighAvg",
      threshold: 5000,
      period: "5m",
    });
  });
});

describe("rules", () => {
  const fly = { all: ["x-api-prod", "x-redis-prod"], public: ["x-api-prod"] };

  it("emits a rule per declared threshold it has data for, and machine-down wherever Fly runs", () => {
    expect(promRules({}, fly).map((r) => r.monitor)).toEqual(["machine-down"]);
    expect(
      promRules({ http5xx: true, responseTimeMs: 2000, resourceUtilizationPercent: 80 }, fly).map(
        (r) => r.monitor,
      ),
    ).toEqual(["http-5xx", "latency-p95", "memory", "machine-down"]);
    expect(promRules({ http5xx: true }, { all: [], public: [] })).toEqual([]);
  });

  it("reads the edge of public services only, and every machine for memory", () => {
    const [http5xx, , memory] = promRules(
      { http5xx: true, responseTimeMs: 2000, resourceUtilizationPercent: 80 },
      fly,
    );
    expect(http5xx!.expr).toContain('app=~"x-api-prod"');
    expect(memory!.expr).toContain('app=~"x-api-prod|x-redis-prod"');
    expect(memory!.expr).toMatch(/>= 0\.8$/);
  });

  it("reads the app's own metrics only through its contract", () => {
    const t = { failureRatePercent: 5, queueSize: 10 };
    expect(promRules(t, fly).map((r) => r.monitor)).toEqual(["machine-down"]);
    expect(
      promRules(t, fly, {
        source: "prometheus",
        names: ["launchpad_queue_size"],
        services: ["api"],
        port: 9091,
        path: "/metrics",
      }).map((r) => r.monitor),
    ).toEqual(["machine-down", "queue-size"]);
    expect(
      sqlRules(t, { table: "jobs", timeColumns: ["updated_at", "created_at"] }, true).map((r) => r.above),
    ).toEqual([5, 10]);
    expect(sqlRules({ databaseDown: true }, undefined, false)).toEqual([]);
  });
});

describe("notificationSettings", () => {
  it("keeps alertname and grafana_folder, adds the machine only for `instance`", () => {
    const base = {
      groupWait: "30s",
      groupInterval: "5m",
      repeatInterval: "4h",
      probes: [{ name: "p", id: 1 }],
    };
    expect(notificationSettings("cp", { ...base, groupBy: "alert" }).groupBies).toEqual([
      "alertname",
      "grafana_folder",
      "app",
    ]);
    expect(notificationSettings("cp", { ...base, groupBy: "instance" })).toMatchObject({
      contactPoint: "cp",
      groupBies: ["alertname", "grafana_folder", "app", "instance"],
      repeatInterval: "4h",
    });
  });
});

describe("dashboardJson", () => {
  it("shows uptime and synthetic latency always, Fly latency and error rate where the app runs on Fly", () => {
    const site = JSON.parse(
      dashboardJson({
        uid: "a-prod",
        title: "a",
        app: "a",
        stack: "prod",
        checkJobs: ["a-prod-frontend"],
        fly: { all: [], public: [] },
      }),
    );
    expect(site.panels.map((p: { title: string }) => p.title)).toEqual([
      "Uptime",
      "Response time (synthetic)",
      "Deploys",
    ]);
    const api = JSON.parse(
      dashboardJson({
        uid: "b-prod",
        title: "b",
        app: "b",
        stack: "prod",
        checkJobs: ["b-prod-api"],
        fly: { all: ["b-api-prod"], public: ["b-api-prod"] },
        flyDatasourceUid: "b-prod-fly",
      }),
    );
    expect(api.uid).toBe("b-prod");
    expect(api.panels.map((p: { title: string }) => p.title)).toEqual([
      "Uptime",
      "Response time (synthetic)",
      "p95 latency",
      "Error rate (5xx)",
      "Deploys",
    ]);
    expect(api.panels[3].datasource.uid).toBe("b-prod-fly");
    expect(api.panels[0].targets[0].expr).toContain('job=~"b-prod-api"');
  });
});
