/**
 * Checklist 4 — strict origins, for auth: a Supabase project sends users (and their tokens) only
 * to https URLs on the app's own site in the stack's environment. The domain comes from the
 * catalog, not from the resource, so a resource cannot widen its own allow-list.
 */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { siteHostname } from "../../infra/naming";
import { ownHttpsUrlProblem, projectRefOf } from "../../infra/providers/supabase/inputs";
import { stackRule } from "./checklist";
import { apps, ofType } from "./lib/graph";
import { catalogApps, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { SUPABASE } from "./lib/types";
import { list, type Props, text } from "./lib/values";

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  const declared = apps(args.resources);
  for (const { app, spec, urn, resources } of catalogApps(args.resources, context)) {
    const configs = ofType(resources, SUPABASE.authConfig);
    const ref = projectRefOf(spec.database);
    if (ref && declared.has(app) && configs.length === 0)
      report(`${app}: Supabase project ${ref} has no auth config declared`, urn);
    const domains = [siteHostname(app, spec, context.platform.environment)];
    for (const config of configs) {
      const props = config.props as Props;
      const site = text(props["siteUrl"]);
      const siteProblem = site === undefined ? "is not set" : ownHttpsUrlProblem(site, domains);
      if (siteProblem) report(`${app}: the auth site URL ${siteProblem}`, config.urn);
      list(props["redirectUrls"]).forEach((url, i) => {
        const problem = typeof url === "string" ? ownHttpsUrlProblem(url, domains) : "is not a URL";
        if (problem) report(`${app}: auth redirect URL ${i} ${problem}`, config.urn);
      });
    }
  }
}

export const supabaseAuthRedirects = stackRule({
  name: "supabase-auth-redirects",
  description: "Supabase auth redirects only to https URLs on the app's own site in the environment.",
  severity: "high",
  checklistItem: 4,
  remediationSteps: [
    "1. Declare redirect paths (database.supabase.auth.redirectPaths) rather than whole URLs.",
    "2. A further URL (redirectUrls) must be https on the app's site hostname or one of its subdomains.",
    "3. Remove URLs of other sites, wildcards, ports and plain http.",
  ].join("\n"),
  resourceTypes: [SUPABASE.authConfig],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
