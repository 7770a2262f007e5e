/**
 * Checklist 2 — secrets in a secrets manager, at the source: every value under `launchpad:secrets`
 * is stored encrypted (`secure:`) in its stack file. A plain value is committed to the repository,
 * readable by anyone who can read it, whatever the deployed resources do with it afterwards. The
 * program refuses such a config; the audit lets it through (App component's `secretsInPlainText`)
 * so this rule reports it, and it blocks at every enforcement level: no environment may carry it.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { APP_COMPONENT } from "./lib/types";
import type { Props } from "./lib/values";

function plainSecrets(props: Props): Array<{ file: string; key: string }> {
  const listed = props["secretsInPlainText"];
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { file, key } = entry as Record<string, unknown>;
    return typeof file === "string" && typeof key === "string" ? [{ file, key }] : [];
  });
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  if (args.type !== APP_COMPONENT) return;
  for (const { file, key } of plainSecrets(args.props as Props)) {
    report(`${file}: ${key} is stored in plain text, not encrypted (secure:)`);
  }
}

export const secretsEncryptedInConfig = resourceRule({
  name: "secrets-encrypted-in-config",
  description: "Every secret value in a stack file is encrypted (secure:), never committed in plain text.",
  severity: "critical",
  checklistItem: 2,
  alwaysMandatory: true,
  remediationSteps: [
    "1. Store the value encrypted: `pulumi config set --secret --stack <stack> --path 'launchpad:secrets.<app>.<NAME>' <value>`.",
    "2. The plain value is in the repository's history: rotate it at its issuer.",
  ].join("\n"),
  resourceTypes: [APP_COMPONENT],
  validateResource: validate,
});
