/**
 * Checklist 11 — deploy gating: deployment environments refuse self-review and admin bypass; the
 * production environment needs reviewers and deploys only from the production branch; its
 * repository's default branch is held by an active ruleset with the app's required checks.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { appOf, ofType, takesFrom } from "./lib/graph";
import { appSpec, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { PRODUCTION_DEFAULTS, PRODUCTION_STACKS_SCHEMA } from "./lib/production";
import { GITHUB } from "./lib/types";
import { isRecord, list, num, record, settings, text, type Props } from "./lib/values";

const DEFAULTS = { ...PRODUCTION_DEFAULTS, productionBranches: ["main"] };

const p = (r: PolicyResource): Props => r.props as Props;

function sameRepository(a: PolicyResource, b: PolicyResource): boolean {
  return text(p(a)["repository"]) === text(p(b)["repository"]) && a.provider?.urn === b.provider?.urn;
}

function reviewerCount(environment: PolicyResource): number {
  return list(p(environment)["reviewers"])
    .filter(isRecord)
    .reduce((n, r) => n + list(r["users"]).length + list(r["teams"]).length, 0);
}

function branchPolicies(environment: PolicyResource, all: readonly PolicyResource[]): string[] {
  const name = text(p(environment)["environment"]);
  return all
    .filter(
      (d) =>
        takesFrom(d, "environment", environment) ||
        (sameRepository(d, environment) && text(p(d)["environment"]) === name),
    )
    .map((d) => text(p(d)["branchPattern"]) ?? `tag:${text(p(d)["tagPattern"]) ?? "?"}`);
}

/** What the rulesets on the default branch fail to require, GitHub aggregating every active one. */
function rulesetGaps(
  rulesets: readonly PolicyResource[],
  defaultBranch: string,
  checks: readonly string[],
): string[] {
  const targets = (r: PolicyResource): boolean => {
    const includes = list(record(record(p(r)["conditions"])?.["refName"])?.["includes"]);
    return ["~DEFAULT_BRANCH", "~ALL", `refs/heads/${defaultBranch}`].some((ref) => includes.includes(ref));
  };
  const active = rulesets.filter(
    (r) => p(r)["enforcement"] === "active" && p(r)["target"] === "branch" && targets(r),
  );
  if (active.length === 0) return ["no active ruleset holds the default branch"];
  const gaps: string[] = [];
  if (active.some((r) => list(p(r)["bypassActors"]).length > 0))
    gaps.push("a default-branch ruleset has bypass actors");
  const rules = active.map((r) => record(p(r)["rules"]) ?? {});
  const approvals = Math.max(
    0,
    ...rules.map((r) => num(record(r["pullRequest"])?.["requiredApprovingReviewCount"]) ?? 0),
  );
  if (approvals < 1) gaps.push("pull requests into the default branch need no approving review");
  if (!rules.some((r) => r["nonFastForward"] === true))
    gaps.push("force pushes to the default branch are allowed");
  if (!rules.some((r) => r["deletion"] === true)) gaps.push("the default branch can be deleted");
  const required = new Set(
    rules.flatMap((r) =>
      list(record(r["requiredStatusChecks"])?.["requiredChecks"])
        .filter(isRecord)
        .map((c) => text(c["context"])),
    ),
  );
  const missing = checks.filter((c) => !required.has(c));
  if (missing.length > 0) gaps.push(`required checks missing from the default branch: ${missing.join(", ")}`);
  return gaps;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const { productionStacks, productionBranches } = settings(args, DEFAULTS);
  const platform = platformOfStack(args)?.platform;
  const policies = ofType(args.resources, GITHUB.deploymentPolicy);
  const rulesets = ofType(args.resources, GITHUB.ruleset);
  for (const environment of ofType(args.resources, GITHUB.environment)) {
    const props = p(environment);
    if (props["preventSelfReview"] !== true)
      report("the deployment environment allows self-review", environment.urn);
    if (props["canAdminsBypass"] !== false)
      report("administrators can bypass the environment's protection", environment.urn);
    if (!productionStacks.includes(text(props["environment"]) ?? "")) continue;
    if (reviewerCount(environment) === 0)
      report("the production environment has no required reviewers", environment.urn);
    const branchPolicy = record(props["deploymentBranchPolicy"]);
    const patterns = branchPolicies(environment, policies);
    const stray = patterns.filter((b) => !productionBranches.includes(b));
    if (branchPolicy?.["customBranchPolicies"] !== true || patterns.length === 0 || stray.length > 0) {
      report(
        `the production environment must deploy only from ${productionBranches.join(", ")}` +
          (stray.length > 0 ? ` (also allows ${stray.join(", ")})` : ""),
        environment.urn,
      );
    }
    const app = appOf(environment);
    const spec = platform && app ? appSpec(platform, app.name) : undefined;
    const repoRulesets = rulesets.filter((r) => sameRepository(r, environment));
    for (const gap of rulesetGaps(
      repoRulesets,
      spec?.repository.defaultBranch ?? "main",
      spec?.repository.requiredChecks ?? [],
    )) {
      report(`repository ${text(props["repository"]) ?? "?"}: ${gap}`, environment.urn);
    }
  }
}

export const deployGating = stackRule({
  name: "deploy-gating",
  description:
    "Deployment environments refuse self-review and admin bypass; production needs reviewers, deploys only " +
    "from the production branch, and its default branch is held by a ruleset with the app's required checks.",
  severity: "high",
  checklistItem: 11,
  remediationSteps: [
    "1. Set deployReviewers in the production profile (GitHub user or team ids).",
    "2. Keep the production profile's branches to main and repositoryRules.managed: true.",
    "3. List the app's CI checks in repository.requiredChecks in the catalog.",
  ].join("\n"),
  resourceTypes: [GITHUB.environment, GITHUB.deploymentPolicy, GITHUB.ruleset],
  configSchema: {
    properties: {
      ...PROJECT_DIR_SCHEMA,
      ...PRODUCTION_STACKS_SCHEMA,
      productionBranches: { type: "array", items: { type: "string" }, default: DEFAULTS.productionBranches },
    },
  },
  validateStack: validate,
});
