import { z } from "zod";
import { alertingProfileSchema } from "./alerts";
import { flyRegion, hostname } from "./common";

export const STACK_NAMES = ["dev", "qa", "prod"] as const;

/**
 * How the policy pack enforces the checklist in this environment:
 * - `advisory`: every rule reports, nothing blocks;
 * - `required-items`: the checklist's *Obligatoire* items block, the rest advise;
 * - `mandatory`: every rule blocks.
 */
export const policyEnforcement = z.enum(["advisory", "required-items", "mandatory"]);

/**
 * A GitHub user or team. GitHub's API takes numeric ids (`gh api users/<login> --jq .id`,
 * `gh api orgs/<org>/teams/<slug> --jq .id`); the name keeps the config readable.
 */
export const githubActorSchema = z
  .object({
    name: z.string().min(1),
    id: z.number().int().positive(),
  })
  .strict();

/** Who must approve a deployment to this environment (GitHub allows up to six users and six teams). */
export const deployReviewersSchema = z
  .object({
    users: z.array(githubActorSchema).max(6).default([]),
    teams: z.array(githubActorSchema).max(6).default([]),
  })
  .strict();

/**
 * Repository-wide rules (the default branch's ruleset). Every stack touches the same repositories,
 * so exactly one stack's profile sets `managed: true` and owns them; the others leave them alone.
 */
export const repositoryRulesSchema = z
  .object({
    managed: z.boolean().default(false),
    /** Approving reviews a pull request into the default branch needs. */
    requiredApprovals: z.number().int().min(1).max(6).default(1),
  })
  .strict();

/** Sizes used where an app's catalog entry does not set its own. */
export const environmentDefaultsSchema = z
  .object({
    region: flyRegion.default("cdg"),
    memoryMb: z.number().int().min(256).max(16384).default(512),
    cpus: z.number().int().min(1).max(16).default(1),
    replicas: z.number().int().min(0).max(10).default(1),
  })
  .strict();

/** The environment profile of a stack: everything that differs between dev, qa and prod. */
export const environmentSchema = z
  .object({
    /** The stack this profile belongs to; must equal the Pulumi stack name. */
    name: z.enum(STACK_NAMES),
    /** Git branches (globs allowed) that deploy to this environment. */
    branches: z.array(z.string().min(1)).min(1),
    /** Parent domain of non-production hostnames, e.g. `dev.launchpad.example`. */
    baseDomain: hostname,
    /** Serve each app on its own production domain instead of a subdomain of `baseDomain`. */
    useAppDomains: z.boolean().default(false),
    policyEnforcement: policyEnforcement,
    /** Protect stateful resources (`protect`, `retainOnDelete`) against accidental deletion. */
    protectData: z.boolean().default(false),
    /** Days of audit logs kept before the purge job deletes them. */
    logRetentionDays: z.number().int().min(1).max(3650).default(90),
    /** Days of backups kept before the cleanup job deletes them. */
    backupRetentionDays: z.number().int().min(1).max(3650).default(30),
    /** Days of Vercel deployments kept. */
    deploymentRetentionDays: z.number().int().min(1).max(3650).default(30),
    /** What the web application firewall does with matching requests. */
    firewallAction: z.enum(["log", "deny"]).default("log"),
    /** Require a login to view preview deployments. */
    protectPreviews: z.boolean().default(true),
    /** Fly.io organization (slug) that owns the environment's backend apps. */
    flyOrg: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a Fly.io organization slug")
      .default("personal"),
    defaults: environmentDefaultsSchema.default({ region: "cdg", memoryMb: 512, cpus: 1, replicas: 1 }),
    /** Reviewers who must approve deployments; empty means no approval gate. */
    deployReviewers: deployReviewersSchema.default({ users: [], teams: [] }),
    repositoryRules: repositoryRulesSchema.default({ managed: false, requiredApprovals: 1 }),
    /** How loud the stack's alerts are (grouping, re-notification) and its synthetic probes. */
    alerting: alertingProfileSchema,
  })
  .strict();

export type StackName = (typeof STACK_NAMES)[number];
export type EnvironmentProfile = z.infer<typeof environmentSchema>;
export type GithubActor = z.infer<typeof githubActorSchema>;
