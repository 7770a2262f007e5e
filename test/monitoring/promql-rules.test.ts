/**
 * Every PromQL rule of every app in every stack, evaluated by Prometheus's own `promtool test rules`
 * on synthetic series just below and just above its threshold. vitest.config.mts runs this file in
 * CI, where a missing promtool fails it, and elsewhere only when promtool is installed.
 */
import { describe, expect, it } from "vitest";
import {
  checkRules,
  flyTargets,
  machinesKeptRunning,
  publicEndpoints,
  TLS_EXPIRY_DAYS,
} from "../../infra/components/monitoring-checks";
import { promRules, type FlyFleet, type PromRule } from "../../infra/components/monitoring-rules";
import { physicalName } from "../../infra/naming";
import type { AlertThresholds } from "../../infra/config";
import { platformOf, STACKS } from "../components/support";
import { promtool, promtoolAvailable, type AlertCase } from "./promtool";

/** `n` machines of a Fly app reporting up; those from `vanishing` on stop reporting after 5 minutes. */
function machines(app: string, n: number, vanishing = n): AlertCase["series"] {
  return Array.from({ length: n }, (_, i) => ({
    series: `fly_instance_up{app="${app}",instance="m${i + 1}"}`,
    values: i >= vanishing ? "1x5 _x20" : "1x25",
  }));
}

/** A check's target, as Synthetic Monitoring labels its series. */
type CheckTarget = Record<"job" | "instance", string>;

/** The series and verdicts that put a rule just below, then just above, its threshold. */
function cases(
  rule: PromRule,
  app: string,
  t: AlertThresholds,
  fleet: FlyFleet,
  check: CheckTarget,
): { below: AlertCase; above: AlertCase } {
  const one = (series: AlertCase["series"], evalTime: string, fires: AlertCase["fires"]): AlertCase => ({
    series,
    evalTime,
    alert: rule.name,
    fires,
  });
  const counter = (metric: string, labels: string, perMinute: number) => ({
    series: `${metric}{app="${app}"${labels}}`,
    values: `0+${perMinute}x25`,
  });
  switch (rule.monitor) {
    case "http-5xx":
      return {
        below: one([counter("fly_edge_http_responses_count", ',status="502"', 0)], "15m", []),
        above: one([counter("fly_edge_http_responses_count", ',status="502"', 1)], "15m", [{ app }]),
      };
    case "latency-p95": {
      const s = t.responseTimeMs! / 1000;
      const buckets = (atThreshold: number) => [
        counter("fly_edge_http_response_time_seconds_bucket", `,le="${s / 2}"`, 0),
        counter("fly_edge_http_response_time_seconds_bucket", `,le="${s}"`, atThreshold),
        counter("fly_edge_http_response_time_seconds_bucket", `,le="${s * 2}"`, 100),
        counter("fly_edge_http_response_time_seconds_bucket", ',le="+Inf"', 100),
      ];
      // All requests within the threshold: p95 ≈ 0.975 × it. 10 % past it: p95 = 1.5 × it.
      return { below: one(buckets(100), "20m", []), above: one(buckets(90), "20m", [{ app }]) };
    }
    case "memory": {
      const used = (share: number) => [
        { series: `fly_instance_memory_mem_total{app="${app}",instance="m1"}`, values: "1000x25" },
        {
          series: `fly_instance_memory_mem_available{app="${app}",instance="m1"}`,
          values: `${1000 - share * 10}x25`,
        },
      ];
      const p = t.resourceUtilizationPercent!;
      // At or above: exactly the threshold fires, one point under it does not.
      return { below: one(used(p - 1), "20m", []), above: one(used(p), "20m", [{ app, instance: "m1" }]) };
    }
    case "machine-down": {
      // Every machine each service keeps running reports: silent. One of `app`'s vanishes: fires.
      const fleetUp = (vanished: string | undefined) =>
        Object.entries(fleet.running).flatMap(([flyApp, n]) =>
          machines(flyApp, n, flyApp === vanished ? n - 1 : n),
        );
      return { below: one(fleetUp(undefined), "15m", []), above: one(fleetUp(app), "15m", [{ app }]) };
    }
    case "check-failing": {
      const probe = `{job="${check.job}",instance="${check.instance}",probe="Paris"}`;
      const executions = { series: `probe_all_success_count${probe}`, values: "0+1x25" };
      return {
        below: one([executions, { series: `probe_all_success_sum${probe}`, values: "0+1x25" }], "15m", []),
        // One execution fails at minute 13.
        above: one(
          [executions, { series: `probe_all_success_sum${probe}`, values: "0+1x12 12 13+1x11" }],
          "15m",
          [check],
        ),
      };
    }
    case "check-latency": {
      const probe = `{job="${check.job}",instance="${check.instance}",probe="Paris"}`;
      // One execution a minute, each taking `ms` milliseconds.
      const timed = (ms: number) => [
        { series: `probe_all_duration_seconds_count${probe}`, values: "0+1x25" },
        { series: `probe_all_duration_seconds_sum${probe}`, values: `0+${ms / 1000}x25` },
      ];
      const ms = t.responseTimeMs!;
      return { below: one(timed(ms - 1), "15m", []), above: one(timed(ms + 1), "15m", [check]) };
    }
    case "tls-expiry": {
      // The certificate's expiry as a Unix time, seen at 15 minutes (900 s) after the epoch.
      const expiring = (days: number) => [
        {
          series: `probe_ssl_earliest_cert_expiry{job="${check.job}",instance="${check.instance}",probe="Paris"}`,
          values: `${900 + days * 86_400}x25`,
        },
      ];
      return {
        below: one(expiring(TLS_EXPIRY_DAYS + 0.01), "15m", []),
        above: one(expiring(TLS_EXPIRY_DAYS - 0.01), "15m", [check]),
      };
    }
    case "failure-rate": {
      const p = t.failureRatePercent!;
      const traffic = (failures: number) => [
        counter("launchpad_requests_total", ',outcome="success"', 100 - failures),
        counter("launchpad_requests_total", ',outcome="failure"', failures),
      ];
      return { below: one(traffic(p), "20m", []), above: one(traffic(p + 1), "20m", [{ app }]) };
    }
    case "queue-size": {
      const q = t.queueSize!;
      const gauge = (n: number) => [{ series: `launchpad_queue_size{app="${app}"}`, values: `${n}x25` }];
      return { below: one(gauge(q), "20m", []), above: one(gauge(q + 1), "20m", [{ app }]) };
    }
    default:
      throw new Error(`no synthetic series for ${rule.monitor}`);
  }
}

describe("promtool", () => {
  it("is installed (in CI, .ci/run installs Debian's prometheus package)", () => {
    expect(promtoolAvailable(), "promtool is not on PATH").toBe(true);
  });
});

describe.each(STACKS)("PromQL rules of %s, by promtool", (stack) => {
  const platform = platformOf(stack);
  const apps = Object.entries(platform.apps).flatMap(([name, spec]) => {
    const targets = flyTargets(name, spec, platform.environment);
    const thresholds = spec.alerts.thresholds;
    const id = physicalName(name, platform.environment);
    const endpoints = publicEndpoints(name, spec, platform.environment);
    const check = endpoints[0] && { job: `${id}-${endpoints[0].part}`, instance: endpoints[0].url };
    // The catalog's rules, and the same thresholds read from the Prometheus metrics contract.
    const rules = [
      ...checkRules(
        thresholds,
        endpoints.map((e) => `${id}-${e.part}`),
      ),
      ...promRules(thresholds, targets, {
        source: "prometheus",
        names: ["launchpad_requests_total", "launchpad_queue_size"],
        services: Object.keys(spec.services),
        port: 9091,
        path: "/metrics",
      }),
    ];
    return rules.length === 0 ? [] : [{ name, targets, thresholds, rules, check }];
  });

  it.each(apps.map((a) => [a.name, a] as const))("%s: each rule fires exactly past its threshold", (_, a) => {
    expect(a.rules.length).toBeGreaterThan(0);
    for (const rule of a.rules) {
      const target = ["http-5xx", "latency-p95"].includes(rule.monitor)
        ? a.targets.public[0]!
        : a.targets.all[0]!;
      const { below, above } = cases(rule, target, a.thresholds, a.targets, a.check!);
      const result = promtool(a.rules, [below, above]);
      expect(result.code, `${rule.name}: ${result.output}`).toBe(0);
    }
  });

  it("a rule that fires a step too early is caught by the same cases", () => {
    const a = apps.find((x) => x.rules.some((r) => r.monitor === "machine-down"))!;
    const rule = a.rules.find((r) => r.monitor === "machine-down")!;
    const wrong = { ...rule, expr: rule.expr.replace("> 0", ">= 0") };
    const { below } = cases(wrong, a.targets.all[0]!, a.thresholds, a.targets, a.check!);
    expect(promtool([wrong], [below]).code).not.toBe(0);
  });
});

describe("MachineDown, by promtool", () => {
  const platform = platformOf("prod");
  const [app, spec] = Object.entries(platform.apps).find(
    ([name, s]) => flyTargets(name, s, platform.environment).all.length > 0,
  )!;
  const flyApp = flyTargets(app, spec, platform.environment).all[0]!;
  const down = (running: number): PromRule =>
    promRules({}, { all: [flyApp], public: [], running: { [flyApp]: running } }).find(
      (r) => r.monitor === "machine-down",
    )!;
  const verdict = (series: AlertCase["series"], fires: AlertCase["fires"]): AlertCase => ({
    series,
    evalTime: "15m",
    alert: "MachineDown",
    fires,
  });

  it("fires when no machine of the service reports at all", () => {
    const result = promtool([down(1)], [verdict([], [{ app: flyApp }])]);
    expect(result.code, result.output).toBe(0);
  });

  it("fires when one of two machines kept running vanishes, silent while both report", () => {
    const result = promtool(
      [down(2)],
      [verdict(machines(flyApp, 2), []), verdict(machines(flyApp, 2, 1), [{ app: flyApp }])],
    );
    expect(result.code, result.output).toBe(0);
  });

  it("stays silent when Fly stops an idle machine above the service's minimum", () => {
    const running = machinesKeptRunning(2, [{ internalPort: 3000, autostop: "stop", minMachinesRunning: 1 }]);
    expect(running).toBe(1);
    const result = promtool([down(running)], [verdict(machines(flyApp, 2, 1), [])]);
    expect(result.code, result.output).toBe(0);
  });

  it("the former rule on fly_instance_up's value misses a vanished machine", () => {
    const former: PromRule = {
      ...down(1),
      expr: `max by (app, instance) (1 - fly_instance_up{app="${flyApp}"}) > 0`,
    };
    const result = promtool([former], [verdict(machines(flyApp, 2, 1), [{ app: flyApp }])]);
    expect(result.code).not.toBe(0);
  });
});
