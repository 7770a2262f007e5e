import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentProfile, SecretValues } from "../config";
import type { AppSpec } from "../config";
import { branchLabel, defaultBranchRules, environmentReviewers } from "./github-settings";
import { variableLabel } from "./vercel-settings";

export interface RepositoryArgs {
  /** The app's name in the catalog (secrets are looked up under it). */
  app: string;
  /** The app's GitHub repository; its owner is the GitHub provider's owner. */
  repository: AppSpec["repository"];
  /** Secrets the app's CI workflows read, set as secrets of this environment only. */
  ciSecrets: readonly string[];
  /** The app's secret holding this environment's Discord channel webhook (`alerts.webhookSecret`). */
  alertsWebhookSecret: string;
  /** The stack's environment profile: branches, reviewers, and whether it owns repository rules. */
  environment: EnvironmentProfile;
  /** The stack's secret values. */
  secrets: SecretValues;
}

/** The secret the app's workflows post to Discord with (.github/actions/discord-notify). */
export const CI_WEBHOOK_SECRET = "DISCORD_WEBHOOK_URL";

/**
 * GitHub secret name → the app's secret that holds its value: the catalog's `ciSecrets`, and the
 * channel's webhook under the name the notify action reads (a `ciSecrets` entry of that name wins).
 */
export function environmentSecrets(
  ciSecrets: readonly string[],
  alertsWebhookSecret: string,
): ReadonlyMap<string, string> {
  const secrets = new Map(ciSecrets.map((name) => [name, name]));
  if (!secrets.has(CI_WEBHOOK_SECRET)) secrets.set(CI_WEBHOOK_SECRET, alertsWebhookSecret);
  return secrets;
}

/**
 * The app's GitHub repository as seen from one environment: a deployment environment named after the
 * stack (branch policies, reviewers, no self-review, no admin bypass), the CI secrets of that
 * environment (the channel's Discord webhook among them, for deploy notifications), and — in the one
 * stack whose profile owns them — the default branch's rules.
 */
export class Repository extends pulumi.ComponentResource {
  /** Name of the GitHub deployment environment (the stack's name). */
  readonly environmentName: pulumi.Output<string>;

  constructor(name: string, args: RepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:github:Repository", name, {}, opts);
    const { environment, repository } = args;
    const repo = repository.name;

    const deployEnvironment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: repo,
        environment: environment.name,
        reviewers: environmentReviewers(environment.deployReviewers),
        preventSelfReview: true,
        canAdminsBypass: false,
        // Only the branches the profile names may deploy here.
        deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false },
      },
      { parent: this },
    );
    const environmentName = deployEnvironment.environment;

    for (const branch of environment.branches) {
      new github.RepositoryEnvironmentDeploymentPolicy(
        `${name}-branch-${branchLabel(branch)}`,
        { repository: repo, environment: environmentName, branchPattern: branch },
        { parent: this },
      );
    }

    for (const [secretName, source] of environmentSecrets(args.ciSecrets, args.alertsWebhookSecret)) {
      // `value` is the non-deprecated argument in @pulumi/github 6.x (`plaintextValue` is deprecated).
      new github.ActionsEnvironmentSecret(
        `${name}-secret-${variableLabel(secretName)}`,
        {
          repository: repo,
          environment: environmentName,
          secretName,
          value: args.secrets.get(args.app, source),
        },
        { parent: this },
      );
    }

    if (environment.repositoryRules.managed) {
      new github.RepositoryRuleset(
        `${name}-default-branch`,
        {
          repository: repo,
          name: "default-branch",
          target: "branch",
          enforcement: "active",
          conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
          // No bypass actors: admins follow the same rules.
          bypassActors: [],
          rules: defaultBranchRules(repository.requiredChecks, environment.repositoryRules.requiredApprovals),
        },
        { parent: this },
      );
    }

    this.environmentName = environmentName;
    this.registerOutputs({ environmentName });
  }
}
