import { describe, expect, it } from "vitest";
import { GITHUB } from "../../../policies/rules/lib/types";
import type { RecordedResource } from "../../../tools/engine/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  replace,
  resource,
  violationsOf,
  withInput,
} from "../support";

const RULE = "deploy-gating";

/** The mapquiz repository as the Repository component declares it in a stack. */
function fixture(stack: string, reviewers: number[] = [9100001]) {
  const app = appComponent(stack, "mapquiz");
  const provider = resource(stack, GITHUB.provider, "mapquiz-github", { owner: "mapquiz" }, { parent: app });
  const repo = resource(stack, "launchpad:github:Repository", "mapquiz-repository", {}, { parent: app });
  const on = { parent: repo, provider };
  const environment = resource(
    stack,
    GITHUB.environment,
    "mapquiz-repository-environment",
    {
      repository: "mapquiz-backend",
      environment: stack,
      reviewers: reviewers.length ? [{ teams: reviewers, users: [] }] : [],
      preventSelfReview: true,
      canAdminsBypass: false,
      deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
    },
    on,
  );
  const branch = resource(
    stack,
    GITHUB.deploymentPolicy,
    "mapquiz-repository-branch-main",
    {
      repository: "mapquiz-backend",
      environment: stack,
      branchPattern: stack === "prod" ? "main" : "feature/*",
    },
    { ...on, from: { environment: [environment] } },
  );
  const ruleset = resource(
    stack,
    GITHUB.ruleset,
    "mapquiz-repository-default-branch",
    {
      repository: "mapquiz-backend",
      name: "default-branch",
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
      bypassActors: [],
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: { requiredApprovingReviewCount: 1, dismissStaleReviewsOnPush: true },
        requiredStatusChecks: {
          requiredChecks: ["test", "coverage", "security-audit", "build", "lint"].map((context) => ({
            context,
          })),
          strictRequiredStatusChecksPolicy: true,
        },
      },
    },
    on,
  );
  return { all: [app, provider, repo, environment, branch, ruleset], environment, branch, ruleset };
}

const prod = fixture("prod");
const swap = (changed: RecordedResource) => replace(prod.all, changed);

describe(RULE, () => {
  it("passes the production repository as the components declare it", async () => {
    await expectCompliant(RULE, prod.all);
  });

  it("passes a dev environment without reviewers, rulesets or main-only deploys", async () => {
    const dev = fixture("dev", []);
    expect(
      await violationsOf(
        RULE,
        "dev",
        dev.all.filter((r) => r !== dev.ruleset),
      ),
    ).toEqual([]);
  });

  it("reports self-review and admin bypass on any environment", async () => {
    const urn = prod.environment.urn;
    await expectViolation(
      RULE,
      swap(withInput(prod.environment, ["preventSelfReview"], false)),
      urn,
      /allows self-review/,
    );
    await expectViolation(
      RULE,
      swap(withInput(prod.environment, ["canAdminsBypass"], undefined)),
      urn,
      /administrators can bypass/,
    );
  });

  it("reports a production environment without reviewers", async () => {
    await expectViolation(
      RULE,
      swap(withInput(prod.environment, ["reviewers"], [])),
      prod.environment.urn,
      /no required reviewers/,
    );
  });

  it("reports production deploys allowed from other branches", async () => {
    const urn = prod.environment.urn;
    const open = withInput(prod.environment, ["deploymentBranchPolicy"], undefined);
    await expectViolation(RULE, swap(open), urn, /must deploy only from main$/);
    const stray = withInput(prod.branch, ["branchPattern"], "release/*");
    await expectViolation(RULE, swap(stray), urn, /must deploy only from main \(also allows release\/\*\)/);
    await expectViolation(
      RULE,
      prod.all.filter((r) => r !== prod.branch),
      urn,
      /must deploy only from main$/,
    );
  });

  it("reports a production repository whose default branch no active ruleset holds", async () => {
    const urn = prod.environment.urn;
    await expectViolation(
      RULE,
      prod.all.filter((r) => r !== prod.ruleset),
      urn,
      /no active ruleset holds the default branch/,
    );
    await expectViolation(
      RULE,
      swap(withInput(prod.ruleset, ["enforcement"], "evaluate")),
      urn,
      /no active ruleset/,
    );
  });

  it("reports each weakness of the ruleset", async () => {
    const urn = prod.environment.urn;
    const cases: Array<[Array<string | number>, unknown, RegExp]> = [
      [
        ["bypassActors"],
        [{ actorId: 5, actorType: "RepositoryRole", bypassMode: "always" }],
        /has bypass actors/,
      ],
      [["rules", "pullRequest"], undefined, /need no approving review/],
      [["rules", "nonFastForward"], false, /force pushes/],
      [["rules", "deletion"], false, /can be deleted/],
      [
        ["rules", "requiredStatusChecks", "requiredChecks"],
        [{ context: "test" }],
        /required checks missing .*: coverage, security-audit, build, lint/,
      ],
    ];
    for (const [path, value, message] of cases) {
      await expectViolation(RULE, swap(withInput(prod.ruleset, path, value)), urn, message);
    }
  });

  it("does not count a ruleset of a repository under another owner", async () => {
    const other = resource("prod", GITHUB.provider, "other-github", { owner: "someone-else" });
    const foreign = { ...prod.ruleset, provider: `${other.urn}::other-github-id` };
    await expectViolation(RULE, [...swap(foreign), other], prod.environment.urn, /no active ruleset holds/);
  });
});
