/**
 * Enforcement per environment, from the stack's profile (`environment.policyEnforcement`):
 * `advisory` reports everything and blocks nothing; `required-items` blocks the checklist's
 * *Obligatoire* items (1–4, 9) and advises on the rest; `mandatory` blocks every rule. A rule marked
 * `alwaysMandatory` (a plain-text secret in a stack file) blocks at every level.
 * The same levels are written to policies/config/<stack>.json for `pulumi preview --policy-pack-config`.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { EnvironmentProfile } from "../infra/config";
import { checklistItem, policies, type LaunchpadPolicy } from "./rules";

/** The pack's own level: what a rule gets when neither the config nor the rule sets one. */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

export type PolicyEnforcement = EnvironmentProfile["policyEnforcement"];

export function levelFor(rule: LaunchpadPolicy, enforcement: PolicyEnforcement): EnforcementLevel {
  if (rule.alwaysMandatory) return "mandatory";
  switch (enforcement) {
    case "advisory":
      return "advisory";
    case "mandatory":
      return "mandatory";
    case "required-items":
      return checklistItem(rule.checklistItem).required ? "mandatory" : "advisory";
  }
}

/** Per-rule levels in the policy pack config format (`{"<rule>": "<level>"}`), in rule order. */
export function enforcementConfig(
  enforcement: PolicyEnforcement,
  rules: readonly LaunchpadPolicy[] = policies,
): Record<string, EnforcementLevel> {
  return Object.fromEntries(rules.map((rule) => [rule.name, levelFor(rule, enforcement)]));
}
