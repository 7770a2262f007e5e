import type { RateLimitSpec } from "../config";

/**
 * Values the provider's validator accepts for `vercelAuthentication.deploymentType`
 * (vercel/terraform-provider-vercel, vercel/resource_project.go: `stringvalidator.OneOf`). The
 * camelCase spellings in the generated SDK docs are rejected by `pulumi up`.
 */
export const DEPLOYMENT_PROTECTION = [
  "standard_protection_new",
  "standard_protection",
  "all_deployments",
  "only_preview_deployments",
  "none",
] as const;
export type DeploymentProtection = (typeof DEPLOYMENT_PROTECTION)[number];

/**
 * Previews (and generated URLs) behind a Vercel login while the environment's own domain stays
 * public; or no protection at all.
 */
export function deploymentProtection(protectPreviews: boolean): DeploymentProtection {
  return protectPreviews ? "standard_protection_new" : "none";
}

/** Retention periods Vercel accepts, shortest first, with their length in days. */
const RETENTION_PERIODS: ReadonlyArray<readonly [string, number]> = [
  ["1d", 1],
  ["1w", 7],
  ["1m", 30],
  ["2m", 60],
  ["3m", 90],
  ["6m", 180],
  ["1y", 365],
];

/** The shortest Vercel retention period that keeps deployments at least `days` (capped at a year). */
export function retentionPeriod(days: number): string {
  return (RETENTION_PERIODS.find(([, length]) => length >= days) ?? RETENTION_PERIODS.at(-1)!)[0];
}

const GLOB = /[*?[\]{}]/;

/**
 * The branch Vercel promotes to the environment's domain: the first of the profile's branches that is
 * a plain name. An environment fed only by patterns (dev ← `feature/*`) has none: each branch gets a
 * preview deployment, and one is promoted to the domain on purpose (`vercel promote`).
 */
export function productionBranch(branches: readonly string[]): string | undefined {
  return branches.find((branch) => !GLOB.test(branch));
}

/**
 * Vercel's "ignored build step": every project of an app watches the same repository, so each one
 * builds only the branches its environment deploys from. Exit 1 builds, exit 0 skips.
 */
export function ignoredBuildStep(branches: readonly string[]): string {
  const patterns = branches.map((branch) => branch.replace(/[^A-Za-z0-9_./*?-]/g, "")).join("|");
  return `case "$VERCEL_GIT_COMMIT_REF" in ${patterns}) exit 1;; *) exit 0;; esac`;
}

/** The OWASP core rule set groups Vercel's firewall manages. */
export const OWASP_GROUPS = [
  "gen",
  "java",
  "lfi",
  "ma",
  "php",
  "rce",
  "rfi",
  "sd",
  "sf",
  "sqli",
  "xss",
] as const;

/** Every OWASP group active, with the environment's action (`deny` blocks, `log` only records). */
export function owaspRulesets(
  action: "log" | "deny",
): Record<(typeof OWASP_GROUPS)[number], { active: boolean; action: string }> {
  return Object.fromEntries(OWASP_GROUPS.map((group) => [group, { active: true, action }])) as ReturnType<
    typeof owaspRulesets
  >;
}

/** A firewall rule limiting each client IP to the catalog's rate; excess requests are refused (429). */
export function rateLimitRule(limit: RateLimitSpec): {
  name: string;
  description: string;
  active: boolean;
  conditionGroups: Array<{ conditions: Array<{ type: string; op: string; value: string }> }>;
  action: {
    action: string;
    rateLimit: { algo: string; keys: string[]; limit: number; window: number; action: string };
  };
} {
  return {
    name: "rate-limit-per-ip",
    description: `${limit.requests} requests per ${limit.windowSeconds}s per client IP`,
    active: true,
    conditionGroups: [{ conditions: [{ type: "path", op: "pre", value: "/" }] }],
    action: {
      action: "rate_limit",
      rateLimit: {
        algo: "fixed_window",
        keys: ["ip"],
        limit: limit.requests,
        window: limit.windowSeconds,
        action: "deny",
      },
    },
  };
}

/** `NEXT_PUBLIC_SITE_URL` → `next-public-site-url`, for logical names. */
export function variableLabel(name: string): string {
  return name.toLowerCase().replace(/_/g, "-");
}
