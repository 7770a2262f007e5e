/** The monitoring's pure helpers, directly. */
import { describe, expect, it } from "vitest";
import {
  checkRules,
  checkTimeoutMs,
  flyTargets,
  machinesKeptRunning,
  publicEndpoints,
  TLS_EXPIRY_DAYS,
} from "../../infra/components/monitoring-checks";
import { resolveProbes } from "../../infra/components/monitoring-probes";
import { ConfigError } from "../../infra/config";
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
      // Catalog services never let Fly stop their machines: every replica must report.
      for (const [service, s] of Object.entries(spec.services).filter(([, s]) => s.enabled))
        expect(targets.running[flyAppName(app, service, env, s)]).toBe(s.replicas ?? env.defaults.replicas);
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
    expect(checkRules({}, ["a-prod-frontend"]).map((r) => r.monitor)).toEqual([
      "check-failing",
      "tls-expiry",
    ]);
    const [failing, tls, latency] = checkRules({ responseTimeMs: 5000 }, ["a-prod-frontend", "a-prod-api"]);
    expect(failing!.expr).toContain('probe_all_success_count{job=~"a-prod-frontend|a-prod-api"}');
    expect(tls!.expr).toMatch(new RegExp(`^${TLS_EXPIRY_DAYS} - `));
    expect(latency!.expr).toMatch(/probe_all_duration_seconds_sum.* > 5000$/);
    expect(checkRules({ responseTimeMs: 5000 }, [])).toEqual([]);
  });
});

describe("machinesKeptRunning", () => {
  it("is every replica unless Fly's proxy may stop idle machines, then its minimum", () => {
    const proxied = { internalPort: 3000 };
    expect(machinesKeptRunning(2, [])).toBe(2);
    expect(machinesKeptRunning(2, [{ ...proxied, autostop: "off" }])).toBe(2);
    expect(machinesKeptRunning(3, [{ ...proxied, autostop: "stop", minMachinesRunning: 1 }])).toBe(1);
    expect(machinesKeptRunning(3, [{ ...proxied, autostop: "suspend" }])).toBe(0);
    expect(machinesKeptRunning(1, [{ ...proxied, autostop: "stop", minMachinesRunning: 4 }])).toBe(1);
  });
});

describe("resolveProbes", () => {
  const listed = { Paris: 7, Frankfurt: 3 };

  it("turns the profile's probe names into the account's ids, in order", () => {
    expect(resolveProbes(["Frankfurt", "Paris"], listed, "qa")).toEqual([3, 7]);
  });

  it("takes no name from the list's prototype", () => {
    expect(() => resolveProbes(["toString"], listed, "qa")).toThrow(
      /no Synthetic Monitoring probe is named "toString"/,
    );
  });

  it("refuses an unknown name, naming the stack file, the key and what the account lists", () => {
    let error: unknown;
    try {
      resolveProbes(["Paris", "Pariss"], listed, "qa");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        file: "Pulumi.qa.yaml",
        key: "launchpad:environment.alerting.probes[1]",
        message: 'no Synthetic Monitoring probe is named "Pariss"; the account lists Frankfurt, Paris',
        stack: "qa",
      },
    ]);
  });
});

describe("rules", () => {
  const fly = {
    all: ["x-api-prod", "x-redis-prod"],
    public: ["x-api-prod"],
    running: { "x-api-prod": 2, "x-redis-prod": 1 },
  };

  it("emits a rule per declared threshold it has data for, and machine-down wherever machines must run", () => {
    expect(promRules({}, fly).map((r) => r.monitor)).toEqual(["machine-down"]);
    expect(promRules({}, { ...fly, running: { "x-api-prod": 0, "x-redis-prod": 0 } })).toEqual([]);
    expect(
      promRules({ http5xx: true, responseTimeMs: 2000, resourceUtilizationPercent: 80 }, fly).map(
        (r) => r.monitor,
      ),
    ).toEqual(["http-5xx", "latency-p95", "memory", "machine-down"]);
    expect(promRules({ http5xx: true }, { all: [], public: [], running: {} })).toEqual([]);
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
      probes: ["p"],
      checkMetricsDatasourceUid: "grafanacloud-prom",
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
