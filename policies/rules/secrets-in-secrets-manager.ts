/**
 * Checklist 2 — secrets in a secrets manager: credential-looking variables are Vercel sensitive
 * variables, GitHub environment secrets or Fly secrets, never plain values; fields a provider does
 * not mark secret are listed in `additionalSecretOutputs` so state encrypts them.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { at, envEntries } from "./lib/env";
import { isPublicName, isSecretName } from "./lib/names";
import { FLY, GITHUB, POSTGRES_DYNAMIC_TYPES, VERCEL } from "./lib/types";
import type { Props } from "./lib/values";

const VERCEL_VARIABLES: readonly string[] = [
  VERCEL.envVar,
  VERCEL.envVars,
  VERCEL.sharedEnvVar,
  VERCEL.project,
];
const GITHUB_VARIABLES: readonly string[] = [GITHUB.environmentVariable, GITHUB.repositoryVariable];
const GITHUB_SECRETS: readonly string[] = [GITHUB.environmentSecret, GITHUB.repositorySecret];

/** Outputs that carry a credential the provider's schema does not mark secret. */
function unmarkedSecretOutputs(type: string, props: Props): string[] {
  if (type === GITHUB.webhook) return ["configuration"];
  if (type === GITHUB.provider && props["token"] !== undefined) return ["token"];
  if (POSTGRES_DYNAMIC_TYPES.includes(type) && props["databaseUrl"] !== undefined) return ["databaseUrl"];
  return [];
}

function plainVariables(args: ResourceValidationArgs, report: ReportViolation): void {
  for (const entry of envEntries(args.type, args.props as Props)) {
    // Public variables ship in the browser bundle; service-key-never-in-frontend judges those.
    if (!isSecretName(entry.key) || isPublicName(entry.key)) continue;
    const where = `${entry.key}${at(entry.path)}`;
    if (VERCEL_VARIABLES.includes(args.type) && entry.sensitive !== true) {
      report(`${where} looks like a secret but is not a sensitive Vercel variable`);
    } else if (GITHUB_VARIABLES.includes(args.type)) {
      report(`${where} looks like a secret but is a plain GitHub Actions variable`);
    } else if (args.type === FLY.machine) {
      report(`${where} looks like a secret but is a plain machine environment variable`);
    }
  }
}

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const props = args.props as Props;
  plainVariables(args, report);
  if (GITHUB_SECRETS.includes(args.type)) {
    const plaintext = props["plaintextValue"];
    if (typeof plaintext === "string" && plaintext !== "") {
      report("the secret is set through the deprecated plaintextValue argument; use value");
    }
  }
  if (args.type === GITHUB.repositorySecret) {
    report("a repository-wide Actions secret reaches every workflow; use an environment secret");
  }
  const marked = new Set(args.opts.additionalSecretOutputs ?? []);
  for (const field of unmarkedSecretOutputs(args.type, props)) {
    if (!marked.has(field)) report(`${field} carries a credential but is not in additionalSecretOutputs`);
  }
}

export const secretsInSecretsManager = resourceRule({
  name: "secrets-in-secrets-manager",
  description:
    "Credential-looking variables (*_KEY, *SECRET*, *TOKEN*, *PASSWORD*, DATABASE_URL) are stored as " +
    "secrets, and credential outputs are marked secret.",
  severity: "critical",
  checklistItem: 2,
  remediationSteps: [
    "1. Store the value with `pulumi config set --secret` and name it in the app's secrets in the catalog.",
    "2. Vercel: declare it in frontend.secretEnv (a sensitive variable). GitHub: ciSecrets (an environment " +
      "secret set through `value`). Fly: the service's secrets (FlySecrets), never env.",
    "3. For outputs a provider does not mark secret, add them to the resource's additionalSecretOutputs.",
  ].join("\n"),
  resourceTypes: [
    ...VERCEL_VARIABLES,
    ...GITHUB_VARIABLES,
    ...GITHUB_SECRETS,
    GITHUB.webhook,
    GITHUB.provider,
    FLY.machine,
    ...POSTGRES_DYNAMIC_TYPES,
  ],
  validateResource: validate,
});
