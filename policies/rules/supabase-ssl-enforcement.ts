/**
 * Checklist 1 — HTTPS everywhere, the database's connections included: every app's Supabase
 * project enforces SSL, so a client cannot connect to Postgres in clear text.
 */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { projectRefOf } from "../../infra/providers/supabase/inputs";
import { stackRule } from "./checklist";
import { apps, ofType } from "./lib/graph";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { SUPABASE } from "./lib/types";
import type { Props } from "./lib/values";

function validate(args: StackValidationArgs, report: ReportViolation): void {
  for (const r of ofType(args.resources, SUPABASE.sslEnforcement)) {
    if ((r.props as Props)["enforced"] !== true) {
      report(`SSL enforcement of Supabase project ${String((r.props as Props)["projectRef"])} is off`, r.urn);
    }
  }
  const context = platformOfStack(args);
  if (!context) return;
  const declared = apps(args.resources);
  for (const { app, spec, urn, resources } of catalogApps(args.resources, context)) {
    const ref = projectRefOf(spec.database);
    // Only apps the stack declares: a partial plan without the App says nothing about its settings.
    if (ref && declared.has(app) && ofType(resources, SUPABASE.sslEnforcement).length === 0) {
      report(`${app}: Supabase project ${ref} has no SSL enforcement declared`, urn);
    }
  }
}

export const supabaseSslEnforcement = stackRule({
  name: "supabase-ssl-enforcement",
  description: "Every Supabase project refuses database connections without SSL.",
  severity: "high",
  checklistItem: 1,
  remediationSteps: [
    "1. Keep the app's Supabase settings (infra/components/supabase.ts): they declare SSL enforcement on.",
    "2. Never set enforced: false; clients connect with sslmode=require (the stack's URLs do).",
  ].join("\n"),
  resourceTypes: [SUPABASE.sslEnforcement],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
