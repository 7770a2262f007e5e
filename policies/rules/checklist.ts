/**
 * The production security checklist the pack enforces: seed 001's checklist (items 1–8, its wording
 * and status kept), and what the other seeds and the design add (items 9–13). *Obligatoire* items
 * block in qa; every item blocks in prod.
 */
import type {
  PolicyComplianceFramework,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";

export interface ChecklistItem {
  readonly number: number;
  readonly text: string;
  /** The seed's wording, where the item comes from seed 001's checklist. */
  readonly original?: string;
  /** *Obligatoire* in the seed (or made so by the design): enforced in qa as well as prod. */
  readonly required: boolean;
}

export const CHECKLIST: readonly ChecklistItem[] = [
  { number: 1, text: "HTTPS everywhere", original: "HTTPS activé partout", required: true },
  {
    number: 2,
    text: "Secrets in a secrets manager",
    original: "Variables sensibles dans secrets manager",
    required: true,
  },
  {
    number: 3,
    text: "Row Level Security on every table",
    original: "RLS activé sur Supabase",
    required: true,
  },
  { number: 4, text: "Strict CORS", original: "CORS configuré strictement", required: true },
  { number: 5, text: "Rate limiting", original: "Rate limiting activé", required: false },
  { number: 6, text: "Audit logs", original: "Logs d'audit activés", required: false },
  { number: 7, text: "Backups", original: "Backups configurés", required: false },
  { number: 8, text: "Monitoring", original: "Monitoring en place", required: false },
  { number: 9, text: "Service key never in a frontend", required: true },
  { number: 10, text: "Least-privilege database roles", required: false },
  { number: 11, text: "Deploy gating", required: false },
  { number: 12, text: "Data protection", required: false },
  { number: 13, text: "Resource budgets", required: false },
];

export function checklistItem(number: number): ChecklistItem {
  const item = CHECKLIST.find((i) => i.number === number);
  if (!item) throw new Error(`the checklist has no item ${number}`);
  return item;
}

/** What every launchpad rule declares besides CrossGuard's own fields. */
export interface RuleMetadata {
  /** Stable kebab-case id; the CrossGuard policy name. */
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  /** The checklist item the rule enforces. */
  readonly checklistItem: number;
  /** How to fix a violation, step by step. */
  readonly remediationSteps: string;
  /** Type tokens of the resources the rule reads. */
  readonly resourceTypes: readonly string[];
  /** Blocks at every enforcement level, advisory environments included (a leak no stack may carry). */
  readonly alwaysMandatory?: boolean;
}

export type LaunchpadResourcePolicy = ResourceValidationPolicy & RuleMetadata;
export type LaunchpadStackPolicy = StackValidationPolicy & RuleMetadata;
export type LaunchpadPolicy = LaunchpadResourcePolicy | LaunchpadStackPolicy;

function framework(number: number): PolicyComplianceFramework {
  const item = checklistItem(number);
  return {
    name: "launchpad production security checklist",
    version: "1",
    reference: `item ${number}`,
    specification: item.original ? `${item.text} (${item.original})` : item.text,
  };
}

/** CrossGuard's compliance fields (framework, tags) derived from the rule's checklist item. */
function crossGuardFields(meta: RuleMetadata): { framework: PolicyComplianceFramework; tags: string[] } {
  const item = checklistItem(meta.checklistItem);
  return {
    framework: framework(meta.checklistItem),
    tags: [`checklist-${item.number}`, item.required ? "obligatoire" : "recommended"],
  };
}

export function resourceRule(
  rule: RuleMetadata & Omit<ResourceValidationPolicy, "name" | "description">,
): LaunchpadResourcePolicy {
  return { ...crossGuardFields(rule), ...rule };
}

export function stackRule(
  rule: RuleMetadata & Omit<StackValidationPolicy, "name" | "description">,
): LaunchpadStackPolicy {
  return { ...crossGuardFields(rule), ...rule };
}

export function isStackRule(rule: LaunchpadPolicy): rule is LaunchpadStackPolicy {
  return typeof (rule as Partial<StackValidationPolicy>).validateStack === "function";
}
