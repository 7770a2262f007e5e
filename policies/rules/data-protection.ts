/**
 * Checklist 12 — data protection: in production, resources whose deletion destroys data are
 * protected, so no update or destroy can remove them without an explicit unprotect.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { PRODUCTION_DEFAULTS, PRODUCTION_STACKS_SCHEMA } from "./lib/production";
import { FLY, PG, POSTGRESQL } from "./lib/types";
import { settings, stackOfUrn } from "./lib/values";

/** Deleting one of these deletes data: volumes, buckets, databases, schemas, the audit tables. */
const STATEFUL: readonly string[] = [
  FLY.volume,
  PG.bucket,
  PG.platformTables,
  POSTGRESQL.database,
  POSTGRESQL.schema,
];

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  if (!STATEFUL.includes(args.type)) return;
  const { productionStacks } = settings(args, PRODUCTION_DEFAULTS);
  if (!productionStacks.includes(stackOfUrn(args.urn))) return;
  // CrossGuard shows `protect` but not `retainOnDelete`, so protection is judged on `protect`.
  if (args.opts.protect !== true) report("the production resource holds data but is not protected");
}

export const dataProtection = resourceRule({
  name: "data-protection",
  description:
    "Production volumes, buckets, databases, schemas and audit tables are protected against deletion.",
  severity: "high",
  checklistItem: 12,
  remediationSteps: [
    "1. Keep protectData: true in the production profile; components then set protect and retainOnDelete.",
    "2. To remove such a resource on purpose, unprotect it in a reviewed change first.",
  ].join("\n"),
  resourceTypes: STATEFUL,
  configSchema: { properties: { ...PRODUCTION_STACKS_SCHEMA } },
  validateResource: validate,
});
