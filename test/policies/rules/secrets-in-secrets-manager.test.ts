import { describe, it } from "vitest";
import { FLY, GITHUB, PG, VERCEL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "secrets-in-secrets-manager";
const S = "prod";

const sensitive = resource(
  S,
  VERCEL.envVar,
  "sheet2scene-frontend-env-supabase-service-role-key",
  {
    projectId: "p",
    key: "SUPABASE_SERVICE_ROLE_KEY",
    value: "[secret]",
    sensitive: true,
    targets: ["production"],
  },
  { additionalSecretOutputs: ["value", "valueWo"] },
);
const list = resource(S, VERCEL.envVars, "sheet2scene-frontend-public-env", {
  projectId: "p",
  variables: [
    { key: "NEXT_PUBLIC_SUPABASE_ANON_KEY", value: "eyJhbGciOi.anon", sensitive: false },
    { key: "LOG_LEVEL", value: "info", sensitive: false },
  ],
});
const ciSecret = resource(S, GITHUB.environmentSecret, "mapquiz-repository-secret-fly-api-token", {
  repository: "mapquiz-backend",
  environment: "prod",
  secretName: "FLY_API_TOKEN",
  value: "[secret]",
});
const machine = resource(S, FLY.machine, "mapquiz-backend-api-machine-1", {
  app: "mapquiz-api-prod",
  env: { NODE_ENV: "production", PORT: "3000" },
});
const flySecrets = resource(S, FLY.secrets, "mapquiz-backend-api-secrets", {
  app: "mapquiz-api-prod",
  values: "[secret]",
});
const webhook = resource(
  S,
  GITHUB.webhook,
  "mapquiz-alerts-github-webhook",
  { repository: "mapquiz-backend", configuration: "[secret]" },
  { additionalSecretOutputs: ["configuration"] },
);
const rls = resource(
  S,
  PG.tableRls,
  "submissions-db-rls-soumissions",
  {
    databaseUrl: "[secret]",
    table: "soumissions_disponibilites",
    rls: { model: "owner", column: "user_id" },
  },
  { additionalSecretOutputs: ["databaseUrl"] },
);
const baseline = [sensitive, list, ciSecret, machine, flySecrets, webhook, rls];

describe(RULE, () => {
  it("passes sensitive Vercel variables, environment secrets, Fly secrets and marked outputs", async () => {
    await expectCompliant(RULE, baseline);
  });

  it("reports a secret-looking Vercel variable that is not sensitive", async () => {
    const bad = withInput(sensitive, ["sensitive"], false);
    await expectViolation(
      RULE,
      [bad],
      bad.urn,
      /SUPABASE_SERVICE_ROLE_KEY looks like a secret but is not a sensitive/,
    );
  });

  it("reports each secret-looking entry of a variable list", async () => {
    const bad = withInput(list, ["variables", 1], {
      key: "STRIPE_SECRET",
      value: "sk_live",
      sensitive: false,
    });
    await expectViolation(RULE, [bad], bad.urn, /STRIPE_SECRET \(variables\[1\]\)/);
  });

  it("reports credentials in a project's inline variables and in shared variables", async () => {
    const project = resource(S, VERCEL.project, "x-frontend-project", {
      environments: [{ key: "DATABASE_URL", value: "postgres://u:p@h/db", sensitive: false }],
    });
    const shared = resource(S, VERCEL.sharedEnvVar, "x-shared", {
      key: "API_TOKEN",
      value: "t",
      sensitive: false,
    });
    await expectViolation(RULE, [project], project.urn, /DATABASE_URL \(environments\[0\]\)/);
    await expectViolation(RULE, [shared], shared.urn, /API_TOKEN looks like a secret/);
  });

  it("reports a secret as a plain GitHub Actions variable", async () => {
    const variable = resource(S, GITHUB.environmentVariable, "x-var", {
      repository: "r",
      environment: "prod",
      variableName: "TEST_DB_PASSWORD",
      value: "hunter2",
    });
    await expectViolation(
      RULE,
      [variable],
      variable.urn,
      /TEST_DB_PASSWORD looks like a secret but is a plain GitHub/,
    );
  });

  it("reports the deprecated plaintextValue argument", async () => {
    const bad = withInput(withInput(ciSecret, ["value"], undefined), ["plaintextValue"], "[secret]");
    await expectViolation(RULE, [bad], bad.urn, /deprecated plaintextValue/);
  });

  it("reports a repository-wide secret instead of an environment secret", async () => {
    const repoSecret = resource(S, GITHUB.repositorySecret, "x-repo-secret", {
      repository: "r",
      secretName: "FLY_API_TOKEN",
      value: "[secret]",
    });
    await expectViolation(RULE, [repoSecret], repoSecret.urn, /repository-wide Actions secret/);
  });

  it("reports a secret in a Fly machine's plain environment", async () => {
    const bad = withInput(machine, ["env", "BETTER_AUTH_SECRET"], "x".repeat(64));
    await expectViolation(
      RULE,
      [bad],
      bad.urn,
      /BETTER_AUTH_SECRET \(env\.BETTER_AUTH_SECRET\) .* plain machine/,
    );
  });

  it("reports a provider token missing from additionalSecretOutputs", async () => {
    const github = resource(S, GITHUB.provider, "mapquiz-github", { owner: "mapquiz", token: "[secret]" });
    await expectViolation(RULE, [github], github.urn, /token carries a credential/);
    await expectCompliant(RULE, [{ ...github, additionalSecretOutputs: ["token"] }]);
  });

  it("reports credential outputs missing from additionalSecretOutputs", async () => {
    const hook = { ...webhook, additionalSecretOutputs: [] };
    const table = { ...rls, additionalSecretOutputs: [] };
    await expectViolation(RULE, [hook], hook.urn, /configuration carries a credential/);
    await expectViolation(RULE, [table], table.urn, /databaseUrl carries a credential/);
  });
});
