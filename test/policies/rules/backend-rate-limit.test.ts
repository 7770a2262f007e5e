import { describe, it } from "vitest";
import { FLY } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "backend-rate-limit";
const S = "prod";

const web = resource(S, FLY.machine, "mona-spark-backend-api-machine-1", {
  app: "mona-spark-api-prod",
  env: { PORT: "3001", RATE_LIMIT_PER_MINUTE: "300" },
  services: [{ internalPort: 3001, forceHttps: true }],
});
const worker = resource(S, FLY.machine, "mona-spark-backend-analytics-machine-1", {
  app: "mona-spark-analytics-prod",
  env: { NODE_ENV: "production" },
  services: [],
});

describe(RULE, () => {
  it("passes a web machine told its rate limit, and a worker serving no HTTP", async () => {
    await expectCompliant(RULE, [web, worker]);
  });

  it("reports a web machine without rate-limit settings", async () => {
    const bad = withInput(web, ["env", "RATE_LIMIT_PER_MINUTE"], undefined);
    await expectViolation(RULE, [bad], bad.urn, /serves HTTP but its environment sets no rate limit/);
  });

  it("reports a rate limit that is not a positive number", async () => {
    const bad = withInput(web, ["env", "RATE_LIMIT_PER_MINUTE"], "0");
    await expectViolation(RULE, [bad], bad.urn, /RATE_LIMIT_PER_MINUTE is not a positive number/);
  });
});
