/**
 * Checklist 7 — backups: production databases declare daily backups or point-in-time recovery,
 * snapshot jobs write to private buckets, and production Fly volumes keep their daily snapshots.
 */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { ofType } from "./lib/graph";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { PRODUCTION_DEFAULTS, PRODUCTION_STACKS_SCHEMA } from "./lib/production";
import { FLY } from "./lib/types";
import { settings, type Props } from "./lib/values";

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  const { productionStacks } = settings(args, PRODUCTION_DEFAULTS);
  const production = productionStacks.includes(context.stack);
  for (const { app, spec, urn } of catalogApps(args.resources, context)) {
    const backups = spec.database?.backups;
    if (production && backups && !backups.daily && !backups.pointInTimeRecovery) {
      report(
        `${app}: the production database declares neither daily backups nor point-in-time recovery`,
        urn,
      );
    }
    for (const [job, declared] of Object.entries(spec.jobs)) {
      const bucket = declared.action.kind === "snapshot" ? declared.action.bucket : undefined;
      if (bucket !== undefined && spec.buckets[bucket]?.public) {
        report(`${app}: job ${job} writes snapshots to bucket ${bucket}, which is public`, urn);
      }
    }
  }
  if (!production) return;
  for (const volume of ofType(args.resources, FLY.volume)) {
    if ((volume.props as Props)["autoBackup"] === false) {
      report("the production volume turns off Fly's daily snapshots (autoBackup: false)", volume.urn);
    }
  }
}

export const databaseBackups = stackRule({
  name: "database-backups",
  description:
    "Production databases declare daily backups or point-in-time recovery, snapshots go to private " +
    "buckets, and production volumes keep daily snapshots.",
  severity: "medium",
  checklistItem: 7,
  remediationSteps: [
    "1. Set database.backups.daily (and pointInTimeRecovery where the seed asks for it) in the catalog.",
    "2. Point snapshot jobs at a bucket declared with public: false.",
    "3. Leave autoBackup on for production Fly volumes.",
  ].join("\n"),
  resourceTypes: [FLY.volume],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA, ...PRODUCTION_STACKS_SCHEMA } },
  validateStack: validate,
});
