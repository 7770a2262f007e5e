/**
 * Checklist 1 — HTTPS everywhere, on the browser's side: Vercel redirects plain http on a project's
 * domains, and Strict-Transport-Security keeps browsers from trying http at all.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { ofType, takesFrom } from "./lib/graph";
import { VERCEL } from "./lib/types";
import { settings, type Props } from "./lib/values";
import { headerNamed, responseHeaders } from "./lib/vercel";

const DEFAULTS = { minMaxAgeSeconds: 31_536_000 };

function maxAge(value: string): number | undefined {
  const match = /max-age\s*=\s*"?(\d+)/i.exec(value);
  return match ? Number(match[1]) : undefined;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const { minMaxAgeSeconds } = settings(args, DEFAULTS);
  const domains = ofType(args.resources, VERCEL.domain);
  const routes = ofType(args.resources, VERCEL.route);
  for (const project of ofType(args.resources, VERCEL.project)) {
    const served = (r: PolicyResource): boolean => takesFrom(r, "projectId", project);
    if (!domains.some(served)) continue;
    const hsts = routes
      .filter(served)
      .flatMap((r) => headerNamed(responseHeaders(r.props as Props), "Strict-Transport-Security"));
    if (hsts.length === 0) {
      report("the project serves a domain without a Strict-Transport-Security response header", project.urn);
      continue;
    }
    const ages = hsts.map((h) => maxAge(h.value) ?? 0);
    if (Math.max(...ages) < minMaxAgeSeconds) {
      report(
        `Strict-Transport-Security max-age is ${Math.max(...ages)}s, below ${minMaxAgeSeconds}s`,
        project.urn,
      );
    }
  }
}

export const hstsOnDomains = stackRule({
  name: "hsts-on-domains",
  description: "Every Vercel project serving a domain sends Strict-Transport-Security with a long max-age.",
  severity: "medium",
  checklistItem: 1,
  remediationSteps: [
    "1. Add a ProjectRoute on `/(.*)` that sets Strict-Transport-Security (the Frontend component does).",
    "2. Use max-age of at least one year, with includeSubDomains.",
  ].join("\n"),
  resourceTypes: [VERCEL.project, VERCEL.domain, VERCEL.route],
  configSchema: {
    properties: {
      minMaxAgeSeconds: { type: "integer", minimum: 0, default: DEFAULTS.minMaxAgeSeconds },
    },
  },
  validateStack: validate,
});
