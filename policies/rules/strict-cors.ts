/** Checklist 4 — strict CORS: no wildcard origin, in Vercel response headers or backend allow-lists. */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { at, envEntries } from "./lib/env";
import { isCorsName } from "./lib/names";
import { FLY, GITHUB, VERCEL } from "./lib/types";
import type { Props } from "./lib/values";
import { headerNamed, responseHeaders } from "./lib/vercel";

/** `*`, a pattern such as `https://*.vercel.app`, or the opaque `null` origin. */
function tooOpen(origin: string): boolean {
  const trimmed = origin.trim();
  return trimmed.includes("*") || trimmed.toLowerCase() === "null";
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  if (args.type === VERCEL.route) {
    for (const header of headerNamed(responseHeaders(props), "Access-Control-Allow-Origin")) {
      if (tooOpen(header.value)) report(`the route answers Access-Control-Allow-Origin: ${header.value}`);
    }
  }
  for (const entry of envEntries(args.type, props)) {
    if (!isCorsName(entry.key) || typeof entry.value !== "string") continue;
    const open = entry.value.split(/[\s,]+/).filter((origin) => origin !== "" && tooOpen(origin));
    if (open.length > 0) report(`${entry.key}${at(entry.path)} allows ${open.join(", ")}`);
  }
}

export const strictCors = resourceRule({
  name: "strict-cors",
  description: "CORS allow-lists name exact origins: no `*`, no wildcard pattern, no `null` origin.",
  severity: "high",
  checklistItem: 4,
  remediationSteps: [
    "1. List each exact https origin in the app's cors.allowedOrigins in the catalog.",
    "2. Let the Frontend and Backend components derive headers and ALLOWED_ORIGINS from that list.",
  ].join("\n"),
  resourceTypes: [
    VERCEL.route,
    VERCEL.envVar,
    VERCEL.envVars,
    VERCEL.sharedEnvVar,
    VERCEL.project,
    FLY.machine,
    GITHUB.environmentVariable,
    GITHUB.repositoryVariable,
  ],
  validateResource: validate,
});
