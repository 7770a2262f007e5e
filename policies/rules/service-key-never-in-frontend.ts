/**
 * Checklist 9 — the service key never reaches a frontend: no public (`NEXT_PUBLIC_*`, `VITE_*`)
 * variable is named like a credential, equals or embeds a secret of the stack, or is computed from a
 * resource that holds one (followed through property dependencies).
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { envEntries, type EnvEntry } from "./lib/env";
import { upstreamOf } from "./lib/graph";
import { isPrivilegedPublicName, isPublicName, isSecretName } from "./lib/names";
import { FLY, GITHUB, POSTGRESQL, POSTGRES_DYNAMIC_TYPES, RANDOM, VERCEL } from "./lib/types";
import { MASKED_SECRET, record, text, type Props } from "./lib/values";

/** Property of each variable-carrying resource that holds its variables. */
const VARIABLES_PROPERTY: Record<string, string> = {
  [VERCEL.envVar]: "value",
  [VERCEL.sharedEnvVar]: "value",
  [VERCEL.envVars]: "variables",
  [VERCEL.project]: "environments",
};

const SECRET_TYPES: readonly string[] = [
  RANDOM.password,
  RANDOM.bytes,
  FLY.secrets,
  GITHUB.environmentSecret,
  GITHUB.repositorySecret,
  POSTGRESQL.role,
  ...POSTGRES_DYNAMIC_TYPES,
];

/**
 * Credential values a resource holds in its inputs (plaintext under the CLI, masked offline). Values
 * kept as secrets under names that do not look like credentials (a CI secret `SUPABASE_URL`) are
 * left out: a public variable may rightly carry the same public URL.
 */
function secretValues(resource: PolicyResource): string[] {
  const props = resource.props as Props;
  const values: unknown[] = [];
  if (resource.type in VARIABLES_PROPERTY) {
    const credentials = envEntries(resource.type, props).filter(
      (e) => e.sensitive === true && isSecretName(e.key),
    );
    values.push(...credentials.map((e) => e.value));
  }
  if (resource.type === GITHUB.environmentSecret || resource.type === GITHUB.repositorySecret) {
    if (isSecretName(text(props["secretName"]) ?? "")) values.push(props["value"], props["plaintextValue"]);
  }
  if (resource.type === FLY.secrets) {
    values.push(
      ...Object.entries(record(props["values"]) ?? {}).flatMap(([k, v]) => (isSecretName(k) ? [v] : [])),
    );
  }
  if (POSTGRES_DYNAMIC_TYPES.includes(resource.type)) values.push(props["databaseUrl"]);
  if (resource.type === POSTGRESQL.role) values.push(props["password"]);
  // Short strings would match by accident (`true`, `1`); credentials are longer.
  return values.filter((v): v is string => typeof v === "string" && (v === MASKED_SECRET || v.length >= 8));
}

function holdsSecret(resource: PolicyResource): boolean {
  return (
    SECRET_TYPES.includes(resource.type) ||
    /service[-_]?(role|key)/i.test(resource.name) ||
    secretValues(resource).length > 0
  );
}

function leaks(entry: EnvEntry, secrets: ReadonlySet<string>): string | undefined {
  if (isPrivilegedPublicName(entry.key))
    return `${entry.key} is public but named like a privileged credential`;
  if (typeof entry.value !== "string") return undefined;
  // Offline, the engine masks a secret value as `[secret]`: the public variable was fed a secret.
  if (entry.value === MASKED_SECRET) return `${entry.key} is public but its value is a secret`;
  for (const secret of secrets) {
    if (secret !== MASKED_SECRET && entry.value.includes(secret)) {
      return `${entry.key} is public but its value contains a secret of the stack`;
    }
  }
  return undefined;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const secrets = new Set(args.resources.flatMap(secretValues));
  for (const resource of args.resources) {
    const property = VARIABLES_PROPERTY[resource.type];
    if (property === undefined) continue;
    const publicEntries = envEntries(resource.type, resource.props as Props).filter((e) =>
      isPublicName(e.key),
    );
    if (publicEntries.length === 0) continue;
    for (const entry of publicEntries) {
      const problem = leaks(entry, secrets);
      if (problem) report(problem, resource.urn);
    }
    for (const source of upstreamOf(resource, property).filter(holdsSecret)) {
      const names = publicEntries.map((e) => e.key).join(", ");
      report(
        `${names} ${publicEntries.length > 1 ? "are" : "is"} computed from ${source.type} ${source.name}, which holds a secret`,
        resource.urn,
      );
    }
  }
}

export const serviceKeyNeverInFrontend = stackRule({
  name: "service-key-never-in-frontend",
  description:
    "No public browser variable (NEXT_PUBLIC_*, VITE_*) is named like, equals, embeds or is computed " +
    "from a service-role key or any other secret.",
  severity: "critical",
  checklistItem: 9,
  remediationSteps: [
    "1. Rotate the exposed key at once: a public variable is in every visitor's JavaScript.",
    "2. Move the value to frontend.secretEnv under a name without the public prefix, and read it server-side.",
    "3. Wire public variables only from public values (site URL, Supabase URL, backend URL, anon key).",
  ].join("\n"),
  resourceTypes: [...Object.keys(VARIABLES_PROPERTY), ...SECRET_TYPES],
  validateStack: validate,
});
