import { describe, expect, it } from "vitest";
import { isServiceRoleJwt } from "../../infra/config/rules";
import { corsAllowList, corsHeaders, originLabel } from "../../infra/components/cors";
import {
  DISCORD_GITHUB_EVENTS,
  GITHUB_ALERT_EVENTS,
  githubCompatibleWebhookUrl,
} from "../../infra/components/discord";
import {
  branchLabel,
  defaultBranchRules,
  environmentReviewers,
} from "../../infra/components/github-settings";
import {
  DEPLOYMENT_PROTECTION,
  deploymentProtection,
  ignoredBuildStep,
  OWASP_GROUPS,
  owaspRulesets,
  productionBranch,
  rateLimitRule,
  retentionPeriod,
} from "../../infra/components/vercel-settings";

const jwt = (payload: object): string =>
  ["e30", Buffer.from(JSON.stringify(payload)).toString("base64url"), "sig"].join(".");

describe("cors", () => {
  it("puts the site's origin first and drops duplicates", () => {
    expect(corsAllowList("https://a.example", ["https://b.example", "https://a.example"])).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  it("refuses a wildcard or a plain-http origin even if one got past the loader", () => {
    expect(() => corsAllowList("https://a.example", ["*"])).toThrow(/not an exact https origin/);
    expect(() => corsAllowList("https://a.example", ["http://b.example"])).toThrow(
      /not an exact https origin/,
    );
  });

  it("grants exactly the origin it is given, and varies caches on Origin", () => {
    const headers = corsHeaders("https://b.example");
    expect(headers["Access-Control-Allow-Origin"]).toBe("https://b.example");
    expect(headers["Vary"]).toBe("Origin");
    expect(Object.values(headers)).not.toContain("*");
  });

  it("labels origins for logical names", () => {
    expect(originLabel("https://www.workspace-analytics.app")).toBe("www-workspace-analytics-app");
    expect(originLabel("https://a.example:8443")).toBe("a-example-8443");
  });
});

describe("vercel settings", () => {
  it("spells preview protection the way the provider's validator accepts it (snake_case)", () => {
    expect(deploymentProtection(true)).toBe("standard_protection_new");
    expect(deploymentProtection(false)).toBe("none");
    for (const value of DEPLOYMENT_PROTECTION) expect(value).toMatch(/^[a-z_]+$/);
  });

  it("rounds retention up to a period Vercel accepts, capped at a year", () => {
    expect(retentionPeriod(1)).toBe("1d");
    expect(retentionPeriod(7)).toBe("1w");
    expect(retentionPeriod(14)).toBe("1m");
    expect(retentionPeriod(30)).toBe("1m");
    expect(retentionPeriod(365)).toBe("1y");
    expect(retentionPeriod(3650)).toBe("1y");
  });

  it("takes the first plain branch as the production branch; patterns alone give none", () => {
    expect(productionBranch(["main"])).toBe("main");
    expect(productionBranch(["release/*", "qa"])).toBe("qa");
    expect(productionBranch(["feature/*"])).toBeUndefined();
  });

  it("builds only the environment's branches", () => {
    expect(ignoredBuildStep(["feature/*"])).toBe(
      'case "$VERCEL_GIT_COMMIT_REF" in feature/*) exit 1;; *) exit 0;; esac',
    );
    expect(ignoredBuildStep(["main", "hotfix/*"])).toContain("in main|hotfix/*) exit 1;;");
    // Nothing from a branch name can break out of the shell pattern.
    expect(ignoredBuildStep(["a;rm -rf /"])).toContain("in arm-rf/) exit 1;;");
  });

  it("activates every OWASP group with the environment's action", () => {
    const deny = owaspRulesets("deny");
    expect(Object.keys(deny).sort()).toEqual([...OWASP_GROUPS].sort());
    expect(Object.values(deny).every((g) => g.active && g.action === "deny")).toBe(true);
    expect(Object.values(owaspRulesets("log")).every((g) => g.action === "log")).toBe(true);
  });

  it("limits each client IP to the catalog's rate", () => {
    const rule = rateLimitRule({ requests: 100, windowSeconds: 60 });
    expect(rule.action.action).toBe("rate_limit");
    expect(rule.action.rateLimit).toMatchObject({ limit: 100, window: 60, keys: ["ip"], action: "deny" });
  });
});

describe("github settings", () => {
  it("turns profile reviewers into ids, and no reviewers into none", () => {
    expect(environmentReviewers({ users: [], teams: [] })).toEqual([]);
    expect(
      environmentReviewers({ users: [{ name: "ada", id: 1 }], teams: [{ name: "leads", id: 42 }] }),
    ).toEqual([{ users: [1], teams: [42] }]);
  });

  it("labels branch patterns", () => {
    expect(branchLabel("feature/*")).toBe("feature");
    expect(branchLabel("main")).toBe("main");
    expect(branchLabel("*")).toBe("any");
  });

  it("protects the default branch: reviews, checks, no force push, no deletion", () => {
    const rules = defaultBranchRules(["test", "lint"], 2);
    expect(rules).toMatchObject({ deletion: true, nonFastForward: true });
    expect(rules.pullRequest.requiredApprovingReviewCount).toBe(2);
    expect(rules.requiredStatusChecks?.requiredChecks).toEqual([{ context: "test" }, { context: "lint" }]);
    expect(defaultBranchRules([], 1).requiredStatusChecks).toBeUndefined();
  });
});

describe("discord", () => {
  it("points at Discord's GitHub-compatible endpoint, keeping the query", () => {
    expect(githubCompatibleWebhookUrl("https://discord.com/api/webhooks/1/tok")).toBe(
      "https://discord.com/api/webhooks/1/tok/github",
    );
    expect(githubCompatibleWebhookUrl("https://discord.com/api/webhooks/1/tok/?thread_id=9")).toBe(
      "https://discord.com/api/webhooks/1/tok/github?thread_id=9",
    );
    expect(() => githubCompatibleWebhookUrl("http://discord.com/api/webhooks/1/tok")).toThrow(/https/);
  });

  it("subscribes only to events Discord's GitHub endpoint renders, CI outcomes (check suites) first", () => {
    expect(GITHUB_ALERT_EVENTS).toContain("check_suite");
    for (const event of GITHUB_ALERT_EVENTS) expect(DISCORD_GITHUB_EVENTS).toContain(event);
    for (const dropped of ["workflow_run", "deployment_status", "workflow_job", "deployment"]) {
      expect(DISCORD_GITHUB_EVENTS).not.toContain(dropped);
    }
  });
});

describe("service-role key detection", () => {
  it("recognises a Supabase service-role JWT and nothing else", () => {
    expect(isServiceRoleJwt(jwt({ role: "service_role", iss: "supabase" }))).toBe(true);
    expect(isServiceRoleJwt(jwt({ role: "anon" }))).toBe(false);
    expect(isServiceRoleJwt("https://x.supabase.co")).toBe(false);
    expect(isServiceRoleJwt("a.b.c")).toBe(false);
  });
});
