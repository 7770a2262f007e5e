/**
 * Every PromQL rule of every app in every stack, evaluated by Prometheus's own `promtool test rules`
 * on synthetic series just below and just above its threshold. vitest.config.mts runs this file in
 * CI, where a missing promtool fails it, and elsewhere only when promtool is installed.
 */
import { describe, expect, it } from "vitest";
import { flyTargets } from "../../infra/components/monitoring-checks";
import { promRules, type PromRule } from "../../infra/components/monitoring-rules";
import type { AlertThresholds } from "../../infra/config";
import { platformOf, STACKS } from "../components/support";
import { promtool, promtoolAvailable, type AlertCase } from "./promtool";

/** The series and verdicts that put a rule just below, then just above, its threshold. */
function cases(rule: PromRule, app: string, t: AlertThresholds): { below: AlertCase; above: AlertCase } {
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
    case "machine-down":
      return {
        below: one([{ series: `fly_instance_up{app="${app}",instance="m1"}`, values: "1x25" }], "15m", []),
        above: one([{ series: `fly_instance_up{app="${app}",instance="m1"}`, values: "1x5 0x20" }], "15m", [
          { app, instance: "m1" },
        ]),
      };
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
    // The catalog's rules, and the same thresholds read from the Prometheus metrics contract.
    const viaMetrics = promRules(thresholds, targets, {
      source: "prometheus",
      names: ["launchpad_requests_total", "launchpad_queue_size"],
      services: Object.keys(spec.services),
      port: 9091,
      path: "/metrics",
    });
    return targets.all.length === 0 ? [] : [{ name, targets, thresholds, rules: viaMetrics }];
  });

  it.each(apps.map((a) => [a.name, a] as const))("%s: each rule fires exactly past its threshold", (_, a) => {
    expect(a.rules.length).toBeGreaterThan(0);
    for (const rule of a.rules) {
      const target = ["http-5xx", "latency-p95"].includes(rule.monitor)
        ? a.targets.public[0]!
        : a.targets.all[0]!;
      const { below, above } = cases(rule, target, a.thresholds);
      const result = promtool(a.rules, [below, above]);
      expect(result.code, `${rule.name}: ${result.output}`).toBe(0);
    }
  });

  it("a rule that fires a step too early is caught by the same cases", () => {
    const a = apps.find((x) => x.rules.some((r) => r.monitor === "machine-down"))!;
    const rule = a.rules.find((r) => r.monitor === "machine-down")!;
    const wrong = { ...rule, expr: rule.expr.replace("> 0", ">= 0") };
    const { below } = cases(wrong, a.targets.all[0]!, a.thresholds);
    expect(promtool([wrong], [below]).code).not.toBe(0);
  });
});
