import { readLayeredConfig, validatePlatform, type PlatformSpec } from "../../infra/config";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";

export const STACKS = ["dev", "qa", "prod"] as const;
export type Stack = (typeof STACKS)[number];

/** Type tokens of the resources these tests look at. */
export const T = {
  app: "launchpad:index:App",
  frontend: "launchpad:vercel:Frontend",
  repository: "launchpad:github:Repository",
  alerts: "launchpad:discord:Alerts",
  project: "vercel:index/project:Project",
  publicEnv: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
  envVar: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  domain: "vercel:index/projectDomain:ProjectDomain",
  retention: "vercel:index/projectDeploymentRetention:ProjectDeploymentRetention",
  firewall: "vercel:index/firewallConfig:FirewallConfig",
  route: "vercel:index/projectRoute:ProjectRoute",
  githubProvider: "pulumi:providers:github",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  branchPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  ciSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  repoSecret: "github:index/actionsSecret:ActionsSecret",
  ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
  webhook: "github:index/repositoryWebhook:RepositoryWebhook",
} as const;

/** Evaluates the three stacks one after the other (the Pulumi runtime is global to a process). */
export async function evaluateAll(): Promise<Record<Stack, StackEvaluation>> {
  const out: Partial<Record<Stack, StackEvaluation>> = {};
  for (const stack of STACKS) out[stack] = await evaluateStack(stack);
  return out as Record<Stack, StackEvaluation>;
}

/** The stack's validated catalog and profile, read from the real config files. */
export function platformOf(stack: Stack): PlatformSpec {
  return validatePlatform(stack, readLayeredConfig(stack));
}

/** The one resource of a type and logical name; fails loudly when it is missing. */
export function one(evaluation: StackEvaluation, type: string, name: string): RecordedResource {
  const found = evaluation.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    throw new Error(`${evaluation.stack}: expected one ${type} named ${name}, found ${found.length}`);
  }
  return found[0]!;
}

export function ofType(evaluation: StackEvaluation, type: string): RecordedResource[] {
  return evaluation.resources.filter((r) => r.type === type);
}

export function childrenOf(evaluation: StackEvaluation, parent: RecordedResource): RecordedResource[] {
  return evaluation.resources.filter((r) => r.parent === parent.urn);
}

/** Reads a nested recorded input, e.g. `at(r.inputs, "gitRepository", "repo")`. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
