import { describe, expect, it } from "vitest";
import { FLY, GRAFANA, VERCEL } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  resource,
  violationsOf,
  withInput,
} from "../support";

const RULE = "monitors-cover-alerts";

function fixture(stack: string) {
  const app = appComponent(stack, "mona-spark");
  const parent = { parent: app };
  const monitoring = resource(
    stack,
    GRAFANA.monitoring,
    "mona-spark-monitoring",
    { app: "mona-spark", thresholds: { http5xx: true, responseTimeMs: 2000, databaseDown: true } },
    parent,
  );
  const under = { parent: monitoring };
  const domain = resource(
    stack,
    VERCEL.domain,
    "mona-spark-frontend-domain",
    { domain: "mona-spark.app" },
    parent,
  );
  const certificate = resource(
    stack,
    FLY.certificate,
    "mona-spark-api-certificate",
    { hostname: "api.mona-spark.app" },
    parent,
  );
  const contact = resource(
    stack,
    GRAFANA.contactPoint,
    "mona-spark-monitoring-discord",
    { discords: "[secret]" },
    under,
  );
  const checks = ["https://mona-spark.app/", "https://api.mona-spark.app/health"].map((target, i) =>
    resource(stack, GRAFANA.check, `mona-spark-monitoring-check-${i}`, { target }, under),
  );
  const fly = resource(
    stack,
    GRAFANA.ruleGroup,
    "mona-spark-monitoring-rules-fly",
    { rules: [{ labels: { monitor: "http-5xx" } }, { labels: { monitor: "latency-p95" } }] },
    under,
  );
  const rows = resource(
    stack,
    GRAFANA.ruleGroup,
    "mona-spark-monitoring-rules-rows",
    { rules: [{ labels: { monitor: "database-down" } }] },
    under,
  );
  return {
    app,
    all: [app, monitoring, domain, certificate, contact, ...checks, fly, rows],
    fly,
    rows,
    contact,
    checks,
  };
}
const f = fixture("prod");
const without = (...gone: unknown[]) => f.all.filter((r) => !gone.includes(r));

describe(RULE, () => {
  it("passes an app whose thresholds, endpoints and contact point are all covered", async () => {
    await expectCompliant(RULE, f.all);
  });

  it("reports a declared threshold no monitor evaluates", async () => {
    await expectViolation(
      RULE,
      without(f.rows),
      f.app.urn,
      /threshold databaseDown, which no monitor evaluates/,
    );
    const renamed = withInput(f.fly, ["rules", 0, "labels", "monitor"], "something-else");
    await expectViolation(RULE, [...without(f.fly), renamed], f.app.urn, /threshold http5xx/);
  });

  it("counts the synthetic checks' response-time rule as evaluating responseTimeMs", async () => {
    const checksOnly = withInput(f.fly, ["rules", 1, "labels", "monitor"], "check-latency");
    await expectCompliant(RULE, [...without(f.fly), checksOnly]);
    const neither = withInput(f.fly, ["rules", 1, "labels", "monitor"], "tls-expiry");
    await expectViolation(RULE, [...without(f.fly), neither], f.app.urn, /threshold responseTimeMs/);
  });

  it("reports an app without a contact point", async () => {
    await expectViolation(RULE, without(f.contact), f.app.urn, /mona-spark has no contact point/);
  });

  it("reports at the stack's level: advisory in qa", async () => {
    const qa = fixture("qa");
    const found = await violationsOf(
      RULE,
      "qa",
      qa.all.filter((r) => r !== qa.contact),
    );
    expect(found).toEqual([
      { enforcement: "advisory", urn: qa.app.urn, message: "mona-spark has no contact point for its alerts" },
    ]);
  });
});
