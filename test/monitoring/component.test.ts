/** The Monitoring component of every app in every stack, under the offline engine. */
import { beforeAll, describe, expect, it } from "vitest";
import { checkRules, publicEndpoints } from "../../infra/components/monitoring-checks";
import { durationMs, MAX_REPEAT_INTERVAL } from "../../infra/config";
import { physicalName } from "../../infra/naming";
import { GRAFANA } from "../../policies/rules/lib/types";
import { fakeProbeList } from "../../tools/fakes/synthetic-monitoring/probes";
import type { StackEvaluation } from "../../tools/engine/types";
import { evaluateAll, ofType, one, platformOf, STACKS, type Stack } from "../components/support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

const children = (e: StackEvaluation, parentUrn: string, type: string) =>
  e.resources.filter((r) => r.parent === parentUrn && r.type === type);

describe.each(STACKS)("monitoring in %s", (stack) => {
  const platform = platformOf(stack);
  const profile = platform.environment.alerting;

  it.each(Object.keys(platform.apps))(
    "%s: a component parented to the app, its thresholds as inputs",
    (app) => {
      const e = stacks[stack];
      const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
      expect(monitoring.parent).toBe(one(e, "launchpad:index:App", app).urn);
      expect(monitoring.inputs["thresholds"]).toEqual(platform.apps[app]!.alerts.thresholds);
    },
  );

  it.each(Object.keys(platform.apps))("%s: a Discord contact point whose URL is secret in and out", (app) => {
    const e = stacks[stack];
    const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
    const [contact, ...more] = children(e, monitoring.urn, GRAFANA.contactPoint);
    expect(more).toEqual([]);
    expect(contact!.inputs["name"]).toBe(`${physicalName(app, platform.environment)}-discord`);
    expect(contact!.secretInputs).toContain("discords");
    expect(contact!.inputs["discords"]).toBe("[secret]");
    expect(contact!.additionalSecretOutputs).toContain("discords");
  });

  it.each(Object.keys(platform.apps))(
    "%s: a check every minute on each public endpoint, from the profile's probes by id",
    (app) => {
      const e = stacks[stack];
      const spec = platform.apps[app]!;
      const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
      const checks = children(e, monitoring.urn, GRAFANA.check);
      const endpoints = publicEndpoints(app, spec, platform.environment);
      expect(checks.map((c) => c.inputs["target"]).sort()).toEqual(endpoints.map((x) => x.url).sort());
      // The ids the offline engine's probe list gives the names the stack file writes.
      const listed = fakeProbeList();
      for (const check of checks) {
        expect(check.inputs).toMatchObject({
          frequency: 60_000,
          probes: profile.probes.map((p) => listed[p]),
        });
        expect(check.inputs["settings"]).toMatchObject({ http: { failIfNotSsl: true } });
      }
      // The site's Vercel domain and each public API's certificate are among the checked hosts.
      const hosts = new Set(checks.map((c) => new URL(c.inputs["target"] as string).hostname));
      const owned = e.resources.filter((r) => r.urn.includes(`::${app}`) || r.name.startsWith(`${app}-`));
      for (const domain of owned.filter((r) => r.type === "vercel:index/projectDomain:ProjectDomain"))
        expect(hosts.has(domain.inputs["domain"] as string)).toBe(true);
    },
  );

  it.each(Object.keys(platform.apps))(
    "%s: the checks alert through rules on Synthetic Monitoring's metrics, not per-check alerts",
    (app) => {
      const e = stacks[stack];
      const spec = platform.apps[app]!;
      const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
      const checks = children(e, monitoring.urn, GRAFANA.check);
      expect(
        e.resources.filter((r) => r.type === "grafana:syntheticMonitoring/checkAlerts:CheckAlerts"),
      ).toEqual([]);
      if (checks.length === 0) {
        expect(e.resources.filter((r) => r.name === `${app}-monitoring-rules-checks`)).toEqual([]);
        return;
      }
      const group = one(e, GRAFANA.ruleGroup, `${app}-monitoring-rules-checks`);
      expect(group.inputs["name"]).toBe(`${physicalName(app, platform.environment)}-checks`);
      expect(group.dependsOn).toEqual(expect.arrayContaining(checks.map((c) => c.urn)));
      const rules = group.inputs["rules"] as Array<Record<string, any>>;
      const expected = checkRules(
        spec.alerts.thresholds,
        checks.map((c) => c.inputs["job"] as string),
      );
      expect(rules.map((r) => r["name"])).toEqual(expected.map((r) => r.name));
      for (const [i, rule] of rules.entries()) {
        const query = rule["datas"][0];
        expect(query.datasourceUid).toBe(profile.checkMetricsDatasourceUid);
        expect(JSON.parse(query.model).expr).toBe(expected[i]!.expr);
        for (const check of checks) expect(query.model).toContain(check.inputs["job"] as string);
      }
      const monitors = rules.map((r) => r["labels"]["monitor"]);
      expect(monitors).toEqual(expect.arrayContaining(["check-failing", "tls-expiry"]));
      if (spec.alerts.thresholds.responseTimeMs !== undefined) expect(monitors).toContain("check-latency");
    },
  );

  it.each(Object.keys(platform.apps))(
    "%s: every rule routes to the app's contact point, as loud as the stack says",
    (app) => {
      const e = stacks[stack];
      const monitoring = one(e, GRAFANA.monitoring, `${app}-monitoring`);
      const contact = children(e, monitoring.urn, GRAFANA.contactPoint)[0]!;
      const groups = children(e, monitoring.urn, GRAFANA.ruleGroup);
      const rules = groups.flatMap((g) => g.inputs["rules"] as Array<Record<string, unknown>>);
      for (const rule of rules) {
        expect(rule["notificationSettings"]).toMatchObject({
          contactPoint: contact.inputs["name"],
          repeatInterval: profile.repeatInterval,
          groupInterval: profile.groupInterval,
        });
        expect(rule["labels"]).toMatchObject({ app, stack });
      }
      const outputs = (
        e.outputs["alerts"] as Record<string, { monitors: { ruleGroups: string[]; checks: string[] } }>
      )[app]!;
      expect(outputs.monitors.ruleGroups.sort()).toEqual(
        groups.map((g) => g.inputs["name"] as string).sort(),
      );
      expect(outputs.monitors.checks).toHaveLength(children(e, monitoring.urn, GRAFANA.check).length);
    },
  );

  it("data sources hold their credentials as secrets", () => {
    const sources = ofType(stacks[stack], "grafana:oss/dataSource:DataSource");
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const secretField = source.inputs["type"] === "prometheus" ? "httpHeaders" : "secureJsonDataEncoded";
      expect(source.secretInputs, source.name).toContain(secretField);
      expect(source.additionalSecretOutputs, source.name).toContain(secretField);
    }
  });
});

describe("loudness comes from the environment profile", () => {
  it("dev folds an alert's machines into one message and re-sends rarely; prod sends each machine's and repeats", () => {
    const settings = (stack: Stack) =>
      (ofType(stacks[stack], GRAFANA.ruleGroup)[0]!.inputs["rules"] as Array<Record<string, any>>)[0]![
        "notificationSettings"
      ];
    const dev = settings("dev");
    const prod = settings("prod");
    expect(dev.groupBies).not.toContain("instance");
    expect(prod.groupBies).toContain("instance");
    for (const grouping of [dev.groupBies, prod.groupBies])
      expect(grouping).toEqual(expect.arrayContaining(["alertname", "grafana_folder"]));
    expect(dev.repeatInterval).toBe(platformOf("dev").environment.alerting.repeatInterval);
    expect(prod.repeatInterval).toBe(platformOf("prod").environment.alerting.repeatInterval);
    expect(dev.repeatInterval).not.toBe(prod.repeatInterval);
  });

  it("dev re-notifies as rarely as Grafana honours: its repeat interval is the ceiling", () => {
    const dev = platformOf("dev").environment.alerting;
    expect(durationMs(dev.repeatInterval)).toBe(durationMs(MAX_REPEAT_INTERVAL));
  });
});
