import { describe, it } from "vitest";
import { FLY } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "backend-health-checks";
const S = "prod";

const web = resource(S, FLY.machine, "mapquiz-backend-api-machine-1", {
  app: "mapquiz-api-prod",
  services: [
    {
      internalPort: 3000,
      forceHttps: true,
      checks: [
        { type: "http", port: 3000, path: "/health", interval: "15s", timeout: "5s", gracePeriod: "30s" },
      ],
    },
  ],
});
const redis = resource(S, FLY.machine, "mona-spark-backend-redis-machine-1", {
  app: "mona-spark-redis-prod",
  services: [{ internalPort: 6379, ports: [{ port: 6379, handlers: [] }] }],
  checks: { tcp: { type: "tcp", port: 6379, interval: "15s", timeout: "5s" } },
});
const worker = resource(S, FLY.machine, "mona-spark-backend-analytics-machine-1", {
  app: "mona-spark-analytics-prod",
  services: [],
});

describe(RULE, () => {
  it("passes an HTTP check on a web service, a TCP check on a TCP service, and a worker serving nothing", async () => {
    await expectCompliant(RULE, [web, redis, worker]);
  });

  it("reports a serving machine without any check", async () => {
    const bad = withInput(redis, ["checks"], {});
    await expectViolation(RULE, [bad], bad.urn, /serves traffic but has no health check/);
  });

  it("reports an HTTP service checked only over TCP", async () => {
    const bad = withInput(web, ["services", 0, "checks"], [{ type: "tcp", port: 3000 }]);
    await expectViolation(RULE, [bad], bad.urn, /no HTTP health check on a path/);
  });
});
