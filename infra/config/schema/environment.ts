import { z } from "zod";
import { flyRegion, hostname } from "./common";

export const STACK_NAMES = ["dev", "qa", "prod"] as const;

/**
 * How the policy pack enforces the checklist in this environment:
 * - `advisory`: every rule reports, nothing blocks;
 * - `required-items`: the checklist's *Obligatoire* items block, the rest advise;
 * - `mandatory`: every rule blocks.
 */
export const policyEnforcement = z.enum(["advisory", "required-items", "mandatory"]);

/** Who must approve a deployment to this environment (GitHub users and teams). */
export const deployReviewersSchema = z
  .object({
    users: z.array(z.string().min(1)).default([]),
    teams: z.array(z.string().min(1)).default([]),
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
    defaults: environmentDefaultsSchema.default({ region: "cdg", memoryMb: 512, cpus: 1, replicas: 1 }),
    /** Reviewers who must approve deployments; empty means no approval gate. */
    deployReviewers: deployReviewersSchema.default({ users: [], teams: [] }),
  })
  .strict();

export type StackName = (typeof STACK_NAMES)[number];
export type EnvironmentProfile = z.infer<typeof environmentSchema>;
