import { describe, it } from "vitest";
import { FLY, GITHUB, RANDOM, VERCEL } from "../../../policies/rules/lib/types";
import type { RecordedResource } from "../../../tools/engine/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "service-key-never-in-frontend";
const S = "prod";

const flyApp = resource(S, FLY.app, "workspace-analytics-backend-api-app", {
  name: "workspace-analytics-api-prod",
  org: "launchpad",
});
const serviceKey = resource(S, VERCEL.envVar, "workspace-analytics-frontend-env-supabase-service-role-key", {
  projectId: "p",
  key: "SUPABASE_SERVICE_ROLE_KEY",
  value: "sk_service_role_0123456789",
  sensitive: true,
});
const publicEnv = (variables: Array<{ key: string; value: string }>, from: RecordedResource[] = [flyApp]) =>
  resource(
    S,
    VERCEL.envVars,
    "workspace-analytics-frontend-public-env",
    {
      projectId: "p",
      variables: variables.map((v) => ({ ...v, sensitive: false, targets: ["production"] })),
    },
    { from: { variables: from } },
  );
const baseline = publicEnv([
  { key: "NEXT_PUBLIC_SUPABASE_URL", value: "https://workspace-analytics.supabase.co" },
  { key: "NEXT_PUBLIC_SUPABASE_ANON_KEY", value: "eyJhbGciOiJIUzI1NiJ9.anon" },
  { key: "NEXT_PUBLIC_API_URL", value: "https://workspace-analytics-api-prod.fly.dev" },
]);

describe(RULE, () => {
  it("passes public URLs and the publishable anon key, wired from a non-secret resource", async () => {
    await expectCompliant(RULE, [flyApp, serviceKey, baseline]);
  });

  it("reports a public variable named like a privileged credential", async () => {
    const bad = withInput(baseline, ["variables", 1, "key"], "NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY");
    await expectViolation(
      RULE,
      [flyApp, bad],
      bad.urn,
      /NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY is public but named like/,
    );
  });

  it("reports a public variable whose value the engine recorded as a secret", async () => {
    const bad = withInput(baseline, ["variables", 1, "value"], "[secret]");
    await expectViolation(
      RULE,
      [flyApp, serviceKey, bad],
      bad.urn,
      /NEXT_PUBLIC_SUPABASE_ANON_KEY is public but its value is a secret/,
    );
  });

  it("reports a public value that embeds the plaintext of a sensitive variable", async () => {
    const bad = withInput(
      baseline,
      ["variables", 2, "value"],
      "https://api.example.com/?key=sk_service_role_0123456789",
    );
    await expectViolation(
      RULE,
      [flyApp, serviceKey, bad],
      bad.urn,
      /NEXT_PUBLIC_API_URL is public but its value contains a secret/,
    );
  });

  it("does not count a public URL kept as a CI secret as a credential", async () => {
    const ciSecret = resource(S, GITHUB.environmentSecret, "sheet2scene-repository-secret-supabase-url", {
      repository: "sheet2scene",
      environment: "prod",
      secretName: "SUPABASE_URL",
      value: "https://workspace-analytics.supabase.co",
    });
    await expectCompliant(RULE, [flyApp, serviceKey, ciSecret, baseline]);
  });

  it("follows property dependencies to a resource holding a secret", async () => {
    const password = resource(S, RANDOM.password, "workspace-analytics-db-runtime-password", {
      length: 32,
      special: false,
    });
    const direct = publicEnv(baseline.inputs["variables"] as Array<{ key: string; value: string }>, [
      password,
    ]);
    await expectViolation(
      RULE,
      [password, direct],
      direct.urn,
      /computed from random:index\/randomPassword:RandomPassword/,
    );
  });

  it("follows them through intermediate resources", async () => {
    const password = resource(S, RANDOM.password, "workspace-analytics-db-runtime-password", { length: 32 });
    const relay = resource(
      S,
      FLY.app,
      "relay-app",
      { name: "relay", org: "launchpad" },
      { from: { name: [password] } },
    );
    const indirect = publicEnv(baseline.inputs["variables"] as Array<{ key: string; value: string }>, [
      relay,
    ]);
    await expectViolation(
      RULE,
      [password, relay, indirect],
      indirect.urn,
      /computed from random:index\/randomPassword/,
    );
  });
});
