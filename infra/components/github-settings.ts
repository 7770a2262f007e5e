import type { EnvironmentProfile } from "../config";

/** Deployment reviewers of an environment as GitHub takes them (ids), or none when the profile has none. */
export function environmentReviewers(
  reviewers: EnvironmentProfile["deployReviewers"],
): Array<{ users: number[]; teams: number[] }> {
  if (reviewers.users.length === 0 && reviewers.teams.length === 0) return [];
  return [{ users: reviewers.users.map((u) => u.id), teams: reviewers.teams.map((t) => t.id) }];
}

/** `feature/*` → `feature`, for logical names. */
export function branchLabel(pattern: string): string {
  return (
    pattern
      .replace(/\*/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "any"
  );
}

/**
 * Rules of the default branch: changes arrive by reviewed pull request after the required checks,
 * and the branch can be neither force-pushed nor deleted.
 */
export function defaultBranchRules(
  requiredChecks: readonly string[],
  requiredApprovals: number,
): {
  deletion: boolean;
  nonFastForward: boolean;
  pullRequest: {
    requiredApprovingReviewCount: number;
    dismissStaleReviewsOnPush: boolean;
    requireLastPushApproval: boolean;
    requiredReviewThreadResolution: boolean;
  };
  requiredStatusChecks?: {
    requiredChecks: Array<{ context: string }>;
    strictRequiredStatusChecksPolicy: boolean;
  };
} {
  return {
    deletion: true,
    nonFastForward: true,
    pullRequest: {
      requiredApprovingReviewCount: requiredApprovals,
      dismissStaleReviewsOnPush: true,
      requireLastPushApproval: true,
      requiredReviewThreadResolution: true,
    },
    ...(requiredChecks.length > 0
      ? {
          requiredStatusChecks: {
            requiredChecks: requiredChecks.map((context) => ({ context })),
            strictRequiredStatusChecksPolicy: true,
          },
        }
      : {}),
  };
}
