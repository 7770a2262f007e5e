import { describe, it } from "vitest";
import { FLY, VERCEL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "strict-cors";
const S = "prod";

const header = (key: string, value: string) => ({
  type: "response.headers",
  op: "set",
  target: JSON.stringify({ key }),
  args: JSON.stringify(value),
});
const route = resource(S, VERCEL.route, "workspace-analytics-frontend-cors-www-workspace-analytics-app", {
  projectId: "p",
  route: {
    src: "/(.*)",
    has: [{ type: "header", key: "origin", value: "https://www.workspace-analytics.app" }],
    transforms: [
      header("Access-Control-Allow-Origin", "https://www.workspace-analytics.app"),
      header("Vary", "Origin"),
    ],
  },
});
const machine = resource(S, FLY.machine, "workspace-analytics-backend-api-machine-1", {
  app: "workspace-analytics-api-prod",
  env: { ALLOWED_ORIGINS: "https://workspace-analytics.app,https://www.workspace-analytics.app" },
});

describe(RULE, () => {
  it("passes exact origins in route headers and in the backend allow-list", async () => {
    await expectCompliant(RULE, [route, machine]);
  });

  it("reports a route answering Access-Control-Allow-Origin: *", async () => {
    const bad = withInput(route, ["route", "transforms", 0], header("Access-Control-Allow-Origin", "*"));
    await expectViolation(RULE, [bad], bad.urn, /Access-Control-Allow-Origin: \*/);
  });

  it("reads headers set through the route's headers map too", async () => {
    const bad = withInput(route, ["route", "headers"], { "access-control-allow-origin": "null" });
    await expectViolation(RULE, [bad], bad.urn, /Access-Control-Allow-Origin: null/);
  });

  it("reports a wildcard or wildcard pattern in ALLOWED_ORIGINS", async () => {
    const star = withInput(machine, ["env", "ALLOWED_ORIGINS"], "*");
    const pattern = withInput(
      machine,
      ["env", "ALLOWED_ORIGINS"],
      "https://app.example.com, https://*.vercel.app",
    );
    await expectViolation(RULE, [star], star.urn, /ALLOWED_ORIGINS \(env\.ALLOWED_ORIGINS\) allows \*/);
    await expectViolation(RULE, [pattern], pattern.urn, /allows https:\/\/\*\.vercel\.app/);
  });

  it("reports a wildcard CORS variable on Vercel", async () => {
    const vars = resource(S, VERCEL.envVars, "x-env", {
      projectId: "p",
      variables: [{ key: "CORS_ORIGINS", value: "*", sensitive: false }],
    });
    await expectViolation(RULE, [vars], vars.urn, /CORS_ORIGINS \(variables\[0\]\) allows \*/);
  });
});
