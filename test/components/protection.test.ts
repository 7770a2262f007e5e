import { beforeAll, describe, expect, it } from "vitest";
import type { StackEvaluation } from "../../tools/engine/types";
import { at, evaluateAll, ofType, one, platformOf, T, type Stack } from "./support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

/** Vercel retention periods, in order. */
const PERIODS = ["1d", "1w", "1m", "2m", "3m", "6m", "1y"];
const ACTIONS = ["log", "deny"];

function reviewerCount(stack: Stack, app: string): number {
  const reviewers = one(stacks[stack], T.environment, `${app}-repository-environment`).inputs[
    "reviewers"
  ] as Array<{
    users: number[];
    teams: number[];
  }>;
  return reviewers.reduce((n, r) => n + r.users.length + r.teams.length, 0);
}

describe("prod is strictly stronger than dev", () => {
  const apps = Object.keys(platformOf("prod").apps);
  const frontends = Object.entries(platformOf("prod").apps)
    .filter(([, spec]) => spec.frontend)
    .map(([app]) => app);

  it("on deployment reviewers", () => {
    for (const app of apps) {
      expect(reviewerCount("dev", app)).toBe(0);
      expect(reviewerCount("prod", app)).toBeGreaterThan(reviewerCount("dev", app));
    }
  });

  it("on firewall actions", () => {
    for (const app of frontends) {
      const action = (stack: Stack): number =>
        ACTIONS.indexOf(
          String(
            at(
              one(stacks[stack], T.firewall, `${app}-frontend-firewall`).inputs,
              "managedRulesets",
              "owasp",
              "sqli",
              "action",
            ),
          ),
        );
      expect(action("dev")).toBe(ACTIONS.indexOf("log"));
      expect(action("prod")).toBe(ACTIONS.indexOf("deny"));
      expect(action("prod")).toBeGreaterThan(action("dev"));
    }
  });

  it("on deployment retention", () => {
    for (const app of frontends) {
      const retention = (stack: Stack): number =>
        PERIODS.indexOf(
          String(one(stacks[stack], T.retention, `${app}-frontend-retention`).inputs["expirationProduction"]),
        );
      expect(retention("dev")).toBeGreaterThanOrEqual(0);
      expect(retention("prod")).toBeGreaterThan(retention("dev"));
    }
  });

  it("on repository rules and deletion protection", () => {
    expect(ofType(stacks.prod, T.ruleset).length).toBeGreaterThan(ofType(stacks.dev, T.ruleset).length);
    const protectedProjects = (stack: Stack): number =>
      ofType(stacks[stack], T.project).filter((r) => r.protect).length;
    expect(protectedProjects("prod")).toBe(frontends.length);
    expect(protectedProjects("dev")).toBe(0);
  });

  it("and never weaker on the rest: self-review and admin bypass are refused everywhere", () => {
    for (const stack of ["dev", "qa", "prod"] as const) {
      for (const environment of ofType(stacks[stack], T.environment)) {
        expect(environment.inputs).toMatchObject({ preventSelfReview: true, canAdminsBypass: false });
      }
    }
  });
});
