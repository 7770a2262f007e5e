import { beforeAll, describe, expect, it } from "vitest";
import type { StackEvaluation } from "../../tools/engine/types";
import { CI_WEBHOOK_SECRET, environmentSecrets } from "../../infra/components/repository";
import { at, childrenOf, evaluateAll, ofType, one, platformOf, STACKS, T, type Stack } from "./support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

const BRANCHES: Record<Stack, string[]> = { dev: ["feature/*"], qa: ["qa"], prod: ["main"] };

describe.each(STACKS)("repositories in %s", (stack) => {
  const platform = platformOf(stack);

  describe.each(Object.entries(platform.apps))("%s", (app, spec) => {
    it("talks to GitHub as the repository's owner", () => {
      const provider = one(stacks[stack], T.githubProvider, `${app}-github`);
      expect(provider.inputs["owner"]).toBe(spec.repository.owner);
      const repository = one(stacks[stack], T.repository, `${app}-repository`);
      expect(repository.parent).toBe(one(stacks[stack], T.app, app).urn);
      for (const child of childrenOf(stacks[stack], repository)) {
        expect(child.provider.startsWith(`${provider.urn}::`)).toBe(true);
        expect(child.name.startsWith(`${app}-repository-`)).toBe(true);
      }
    });

    it("has a deployment environment named after the stack, deployable only from its branches", () => {
      const environment = one(stacks[stack], T.environment, `${app}-repository-environment`).inputs;
      expect(environment).toMatchObject({
        repository: spec.repository.name,
        environment: stack,
        preventSelfReview: true,
        canAdminsBypass: false,
        deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
      });
      const policies = ofType(stacks[stack], T.branchPolicy).filter((r) =>
        r.name.startsWith(`${app}-repository-`),
      );
      expect(policies.map((p) => p.inputs["branchPattern"])).toEqual(BRANCHES[stack]);
      for (const policy of policies) expect(policy.inputs["environment"]).toBe(stack);
    });

    it("sets every CI secret, and the channel's webhook, as secrets of this environment, from Pulumi secrets", () => {
      const secrets = ofType(stacks[stack], T.ciSecret).filter((r) =>
        r.name.startsWith(`${app}-repository-`),
      );
      expect(secrets.map((s) => s.inputs["secretName"]).sort()).toEqual(
        [...new Set([...spec.ciSecrets, CI_WEBHOOK_SECRET])].sort(),
      );
      for (const secret of secrets) {
        expect(secret.inputs["environment"]).toBe(stack);
        expect(secret.inputs["repository"]).toBe(spec.repository.name);
        expect(secret.secretInputs).toEqual(["value"]);
        // The deprecated plaintext/encrypted arguments are not used.
        expect(secret.inputs).not.toHaveProperty("plaintextValue");
        expect(secret.inputs).not.toHaveProperty("encryptedValue");
      }
    });
  });
});

describe("the channel's webhook for the app's own workflows", () => {
  it("is never a repository-wide secret (checklist item 2 refuses those)", () => {
    for (const stack of STACKS) expect(ofType(stacks[stack], T.repoSecret)).toEqual([]);
  });

  it("takes its value from the app's alert webhook secret unless ciSecrets names the secret itself", () => {
    expect([...environmentSecrets(["A"], "ALERTS_HOOK")]).toEqual([
      ["A", "A"],
      [CI_WEBHOOK_SECRET, "ALERTS_HOOK"],
    ]);
    expect([...environmentSecrets([CI_WEBHOOK_SECRET], "ALERTS_HOOK")]).toEqual([
      [CI_WEBHOOK_SECRET, CI_WEBHOOK_SECRET],
    ]);
  });
});

describe("repository-wide rules", () => {
  it("are owned by exactly one stack's profile: prod", () => {
    const owners = STACKS.filter((stack) => platformOf(stack).environment.repositoryRules.managed);
    expect(owners).toEqual(["prod"]);
    expect(ofType(stacks.dev, T.ruleset)).toEqual([]);
    expect(ofType(stacks.qa, T.ruleset)).toEqual([]);
    expect(ofType(stacks.prod, T.ruleset)).toHaveLength(Object.keys(platformOf("prod").apps).length);
  });

  it("protect the default branch: checks from the catalog, reviews, no force push, no deletion, no bypass", () => {
    for (const [app, spec] of Object.entries(platformOf("prod").apps)) {
      const ruleset = one(stacks.prod, T.ruleset, `${app}-repository-default-branch`).inputs;
      expect(ruleset).toMatchObject({
        repository: spec.repository.name,
        target: "branch",
        enforcement: "active",
        bypassActors: [],
        conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
        rules: { deletion: true, nonFastForward: true },
      });
      expect(at(ruleset, "rules", "pullRequest", "requiredApprovingReviewCount")).toBe(1);
      const checks = at(ruleset, "rules", "requiredStatusChecks", "requiredChecks") as Array<{
        context: string;
      }>;
      expect(checks.map((c) => c.context)).toEqual(spec.repository.requiredChecks);
    }
  });

  it("mapquiz requires tests, coverage, security audit, build and lint", () => {
    const ruleset = one(stacks.prod, T.ruleset, "mapquiz-repository-default-branch").inputs;
    const checks = at(ruleset, "rules", "requiredStatusChecks", "requiredChecks") as Array<{
      context: string;
    }>;
    expect(checks.map((c) => c.context)).toEqual(["test", "coverage", "security-audit", "build", "lint"]);
  });
});

describe("seed CI secrets", () => {
  it("mapquiz's CI gets its Fly token and test credentials in each environment", () => {
    for (const stack of STACKS) {
      const names = ofType(stacks[stack], T.ciSecret)
        .filter((r) => r.name.startsWith("mapquiz-"))
        .map((r) => r.inputs["secretName"]);
      expect(names).toEqual(
        expect.arrayContaining([
          "FLY_API_TOKEN",
          "TEST_DB_PASSWORD",
          "TEST_AUTH_SECRET",
          "TEST_GOOGLE_CLIENT_ID",
          "TEST_GOOGLE_CLIENT_SECRET",
        ]),
      );
    }
  });

  it("sheet2scene's CI gets Supabase, RunPod and Discord secrets", () => {
    const names = ofType(stacks.prod, T.ciSecret)
      .filter((r) => r.name.startsWith("sheet2scene-"))
      .map((r) => r.inputs["secretName"]);
    expect(names).toEqual(
      expect.arrayContaining([
        "SUPABASE_URL",
        "SUPABASE_SERVICE_ROLE_KEY",
        "RUNPOD_API_KEY",
        "DISCORD_WEBHOOK_URL",
      ]),
    );
  });
});
