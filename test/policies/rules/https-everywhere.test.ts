import { describe, it } from "vitest";
import { FLY, GITHUB, VERCEL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "https-everywhere";
const S = "prod";

const webhook = resource(S, GITHUB.webhook, "mapquiz-alerts-github-webhook", {
  repository: "mapquiz-backend",
  active: true,
  events: ["workflow_run"],
  configuration: {
    url: "https://discord.com/api/webhooks/1/t/github",
    contentType: "json",
    insecureSsl: false,
  },
});
const vercelHook = resource(S, VERCEL.webhook, "sheet2scene-deploys", {
  endpoint: "https://hooks.example.com/vercel",
  events: ["deployment.error"],
});
const drain = resource(S, VERCEL.logDrain, "sheet2scene-logs", {
  endpoint: "https://logs.example.com/ingest",
  deliveryFormat: "json",
  environments: ["production"],
  sources: ["lambda"],
});
const machine = resource(S, FLY.machine, "mapquiz-backend-api-machine-1", {
  app: "mapquiz-api-prod",
  name: "api-1",
  region: "cdg",
  guest: { cpus: 1, memoryMb: 512 },
  env: { PORT: "3000", REDIS_URL: "redis://redis.internal:6379", UPSTREAM: "http://worker.internal:8080" },
  services: [{ internalPort: 3000, forceHttps: true }],
});
const publicEnv = resource(S, VERCEL.envVars, "mona-spark-frontend-public-env", {
  projectId: "p",
  variables: [{ key: "NEXT_PUBLIC_API_URL", value: "https://api.mona-spark.app", sensitive: false }],
});
const baseline = [webhook, vercelHook, drain, machine, publicEnv];

describe(RULE, () => {
  it("passes https webhooks, drains, default Fly ports and private-network http", async () => {
    await expectCompliant(RULE, baseline);
  });

  it("reports a GitHub webhook delivering over http", async () => {
    const bad = withInput(webhook, ["configuration", "url"], "http://discord.com/api/webhooks/1/t/github");
    await expectViolation(RULE, [bad], bad.urn, /configuration\.url is not an https/);
  });

  it("reports a webhook skipping certificate verification", async () => {
    const bad = withInput(webhook, ["configuration", "insecureSsl"], true);
    await expectViolation(RULE, [bad], bad.urn, /insecureSsl/);
  });

  it("reports Vercel webhooks and log drains on http", async () => {
    const hook = withInput(vercelHook, ["endpoint"], "http://hooks.example.com/vercel");
    const logs = withInput(drain, ["endpoint"], "http://logs.example.com/ingest");
    await expectViolation(RULE, [hook], hook.urn, /endpoint is not an https/);
    await expectViolation(RULE, [logs], logs.urn, /endpoint is not an https/);
  });

  it("reports a Fly service that stops forcing https", async () => {
    const bad = withInput(machine, ["services", 0, "forceHttps"], false);
    await expectViolation(RULE, [bad], bad.urn, /plain HTTP on port 80 without force_https/);
  });

  it("reports a Fly service with no TLS port", async () => {
    const bad = withInput(
      machine,
      ["services", 0, "ports"],
      [{ port: 80, handlers: ["http"], forceHttps: true }],
    );
    await expectViolation(RULE, [bad], bad.urn, /no port with the "tls" handler/);
  });

  it("reports http URLs to public hosts in machine and Vercel variables", async () => {
    const env = withInput(machine, ["env", "API_BASE"], "http://api.example.com");
    const vars = withInput(publicEnv, ["variables", 0, "value"], "http://api.mona-spark.app");
    await expectViolation(RULE, [env], env.urn, /API_BASE \(env\.API_BASE\) points to a plain http/);
    await expectViolation(
      RULE,
      [vars],
      vars.urn,
      /NEXT_PUBLIC_API_URL \(variables\[0\]\) points to a plain http/,
    );
  });
});
