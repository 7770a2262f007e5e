/**
 * Policy pack config reconciled the way the Pulumi CLI does before it configures a pack: schema
 * defaults first, then `all`, then each policy's entry; the level a policy runs at is the
 * configured one, else the policy's own, else the pack's.
 */
import type { EnforcementLevel, Policy, PolicyPackConfig } from "@pulumi/policy";

export interface ReconciledPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

function levelOf(value: unknown, where: string): EnforcementLevel | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !LEVELS.includes(value)) {
    throw new Error(
      `policy pack config: ${where}: ${JSON.stringify(value)} is not a valid enforcement level`,
    );
  }
  return value as EnforcementLevel;
}

function defaults(policy: Policy): Record<string, unknown> {
  const properties = policy.configSchema?.properties ?? {};
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([, schema]) => schema.default !== undefined)
      .map(([key, schema]) => [key, structuredClone(schema.default)]),
  );
}

/** The JSON types a schema names, checked the way the CLI's validation would refuse a value. */
function typeProblem(value: unknown, type: unknown): string | undefined {
  const ok: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === "string",
    number: (v) => typeof v === "number",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    array: (v) => Array.isArray(v),
    object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  };
  if (typeof type !== "string" || !ok[type]) return undefined;
  return ok[type](value) ? undefined : `expected ${type}, got ${JSON.stringify(value)}`;
}

function validate(policy: Policy, properties: Record<string, unknown>): void {
  const schema = policy.configSchema;
  if (!schema) return;
  for (const required of schema.required ?? []) {
    if (properties[required] === undefined)
      throw new Error(`policy pack config: ${policy.name}: ${required} is required`);
  }
  for (const [key, value] of Object.entries(properties)) {
    const problem = typeProblem(value, schema.properties[key]?.type);
    if (problem) throw new Error(`policy pack config: ${policy.name}.${key}: ${problem}`);
  }
}

export function reconcileConfig(
  policies: readonly Policy[],
  config: PolicyPackConfig,
  packLevel: EnforcementLevel,
): Map<string, ReconciledPolicyConfig> {
  const all = config["all"];
  const allLevel = levelOf(typeof all === "string" ? all : all?.enforcementLevel, "all");
  const result = new Map<string, ReconciledPolicyConfig>();
  for (const policy of policies) {
    const given = config[policy.name];
    const entry = typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
    const { enforcementLevel, ...properties } = entry as Record<string, unknown>;
    const level = levelOf(enforcementLevel, policy.name) ?? allLevel ?? policy.enforcementLevel ?? packLevel;
    const merged = { ...defaults(policy), ...properties };
    validate(policy, merged);
    result.set(policy.name, { enforcementLevel: level, properties: merged });
  }
  return result;
}
