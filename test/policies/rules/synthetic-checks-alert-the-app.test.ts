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

const RULE = "synthetic-checks-alert-the-app";
const JOBS = ["mona-spark-prod-frontend", "mona-spark-prod-api"];

/** A rule of the checks' group: its query selects `jobs`, it routes to `contactPoint`. */
function checkRule(monitor: string, jobs: readonly string[], contactPoint: string) {
  const expr = `sum by (job, instance) (probe_all_success_count{job=~"${jobs.join("|")}"}) >= 1`;
  return {
    labels: { monitor },
    notificationSettings: { contactPoint },
    datas: [
      { refId: "A", model: JSON.stringify({ refId: "A", expr }) },
      { refId: "B", model: "{}" },
    ],
  };
}

function fixture(stack: string) {
  const app = appComponent(stack, "mona-spark");
  const parent = { parent: app };
  const monitoring = resource(
    stack,
    GRAFANA.monitoring,
    "mona-spark-monitoring",
    { app: "mona-spark" },
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
    { name: "mona-spark-prod-discord", discords: "[secret]" },
    under,
  );
  const checks = ["https://mona-spark.app/", "https://api.mona-spark.app/health"].map((target, i) =>
    resource(stack, GRAFANA.check, `mona-spark-monitoring-check-${i}`, { target, job: JOBS[i] }, under),
  );
  const rules = resource(
    stack,
    GRAFANA.ruleGroup,
    "mona-spark-monitoring-rules-checks",
    {
      rules: [
        checkRule("check-failing", JOBS, "mona-spark-prod-discord"),
        checkRule("tls-expiry", JOBS, "mona-spark-prod-discord"),
      ],
    },
    under,
  );
  return {
    app,
    all: [app, monitoring, domain, certificate, contact, ...checks, rules],
    contact,
    checks,
    rules,
  };
}
const f = fixture("prod");
const without = (...gone: unknown[]) => f.all.filter((r) => !gone.includes(r));

describe(RULE, () => {
  it("passes an app whose endpoints are checked and whose checks alert its contact point", async () => {
    await expectCompliant(RULE, f.all);
  });

  it("reports a public endpoint without a synthetic check, the API's as the site's", async () => {
    await expectViolation(
      RULE,
      without(f.checks[1]),
      f.app.urn,
      /api\.mona-spark\.app has no synthetic check/,
    );
    await expectViolation(
      RULE,
      without(f.checks[0]),
      f.app.urn,
      /endpoint mona-spark\.app has no synthetic check/,
    );
  });

  it("reports a check no failure rule watches: rules gone, or watching another job", async () => {
    await expectViolation(RULE, without(f.rules), f.app.urn, /check mona-spark-prod-api has no alert rule/);
    const elsewhere = withInput(
      f.rules,
      ["rules", 0],
      checkRule("check-failing", [JOBS[0]!], "mona-spark-prod-discord"),
    );
    await expectViolation(
      RULE,
      [...without(f.rules), elsewhere],
      f.app.urn,
      /mona-spark-prod-api has no alert rule/,
    );
    // A job whose name only starts like the check's does not watch it.
    const prefix = withInput(
      f.rules,
      ["rules", 0],
      checkRule("check-failing", ["mona-spark-prod-ap"], "mona-spark-prod-discord"),
    );
    await expectViolation(
      RULE,
      [...without(f.rules), prefix],
      f.app.urn,
      /mona-spark-prod-api has no alert rule/,
    );
  });

  it("reports a check whose failures alert another contact point than the app's", async () => {
    const rerouted = withInput(
      f.rules,
      ["rules", 0, "notificationSettings", "contactPoint"],
      "grafana-default-email",
    );
    await expectViolation(
      RULE,
      [...without(f.rules), rerouted],
      f.app.urn,
      /check mona-spark-prod-frontend sends its alerts \(check-failing\) elsewhere than the app's contact point/,
    );
    const unrouted = withInput(f.rules, ["rules", 0, "notificationSettings"], undefined);
    await expectViolation(
      RULE,
      [...without(f.rules), unrouted],
      f.app.urn,
      /mona-spark-prod-api sends its alerts \(check-failing\) elsewhere/,
    );
  });

  it("reports a TLS rule routed elsewhere, though the failures reach the app", async () => {
    const tls = withInput(
      f.rules,
      ["rules", 1, "notificationSettings", "contactPoint"],
      "grafana-default-email",
    );
    await expectViolation(
      RULE,
      [...without(f.rules), tls],
      f.app.urn,
      /mona-spark-prod-api sends its alerts \(tls-expiry\) elsewhere/,
    );
  });

  it("does not count a TLS rule as watching failures", async () => {
    const onlyTls = withInput(f.rules, ["rules", 0, "labels", "monitor"], "tls-expiry");
    await expectViolation(
      RULE,
      [...without(f.rules), onlyTls],
      f.app.urn,
      /mona-spark-prod-frontend has no alert rule on its failures/,
    );
  });

  it("reports at the stack's level: advisory in qa", async () => {
    const qa = fixture("qa");
    const found = await violationsOf(
      RULE,
      "qa",
      qa.all.filter((r) => r !== qa.checks[0]),
    );
    expect(found).toEqual([
      {
        enforcement: "advisory",
        urn: qa.app.urn,
        message: "mona-spark's public endpoint mona-spark.app has no synthetic check",
      },
    ]);
  });
});
