/**
 * Checklist 7 — backups: where the catalog requires point-in-time recovery, the Supabase project
 * must have it, as the project itself reports (the Backups resource's `pitrEnabled`, read from
 * the Management API), not as the catalog's flag claims. A status not read yet (a preview before
 * the first deploy, or the offline plan) cannot be judged; the check runs on the state after
 * `pulumi up` and on every preview with `--refresh`.
 */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { projectRefOf } from "../../infra/providers/supabase/inputs";
import { stackRule } from "./checklist";
import { apps, ofType } from "./lib/graph";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { SUPABASE } from "./lib/types";
import type { Props } from "./lib/values";

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  const declared = apps(args.resources);
  for (const { app, spec, urn, resources } of catalogApps(args.resources, context)) {
    const ref = projectRefOf(spec.database);
    if (!ref || !declared.has(app) || !spec.database?.backups.pointInTimeRecovery) continue;
    const backups = ofType(resources, SUPABASE.backups);
    if (backups.length === 0) {
      report(`${app}: the catalog requires PITR, but project ${ref}'s backups are not read`, urn);
      continue;
    }
    for (const b of backups) {
      const props = b.props as Props;
      if (props["pitrRequired"] !== true) {
        report(`${app}: the catalog requires PITR, but project ${ref}'s backups do not`, b.urn);
      } else if (props["pitrEnabled"] === false) {
        report(`${app}: the catalog requires PITR, and Supabase project ${ref} does not have it`, b.urn);
      }
    }
  }
}

export const supabasePitr = stackRule({
  name: "supabase-pitr",
  description: "A Supabase project whose catalog entry requires point-in-time recovery has it.",
  severity: "high",
  checklistItem: 7,
  remediationSteps: [
    "1. Enable the PITR add-on on the project (dashboard → Project Settings → Add-ons; it needs a Small",
    "   compute or larger and is billed): launchpad reads add-ons, it does not buy them.",
    "2. Run `pulumi refresh` (or preview with --refresh) so the Backups resource reads it.",
    "3. If the app truly does not need PITR, set database.backups.pointInTimeRecovery: false in the catalog.",
  ].join("\n"),
  resourceTypes: [SUPABASE.backups],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
