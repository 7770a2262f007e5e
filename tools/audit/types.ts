/** Enforcement levels as CrossGuard reports them. */
export type Enforcement = "mandatory" | "advisory";

/** What a report needs to know about a rule (from the policy pack's metadata). */
export interface RuleInfo {
  id: string;
  description: string;
  severity: "low" | "medium" | "high" | "critical";
  checklistItem: number;
  checklistTitle: string;
  remediation: string;
}

export interface Exemption {
  policy: string;
  urn: string;
  reason: string;
  expires: string;
}

/** One violation of one rule by one resource (or by the stack, for stack rules). */
export interface Finding {
  policy: string;
  severity: RuleInfo["severity"];
  enforcement: Enforcement;
  urn: string;
  message: string;
  remediation?: string;
  checklistItem: number;
  /** Set when an exemption covers the finding: reported, never failing. */
  exemption?: Exemption;
  /** Where a person fixes it: the config file and key that declare the resource. */
  location: { file: string; key: string; line?: number };
}

export interface StackAudit {
  stack: string;
  /** The day (YYYY-MM-DD, UTC) the stack's exemptions were judged current on. */
  date: string;
  resources: number;
  /** Open violations (problems with exemptions included) and exempted ones. */
  findings: Finding[];
}

export interface AuditReport {
  stacks: StackAudit[];
  rules: RuleInfo[];
}

/** What each stack's worker sends back: its audit, and the rules a report cites. */
export interface StackAnalysis {
  audit: StackAudit;
  rules: RuleInfo[];
}

export type ChecklistCell = "pass" | "advisory" | "fail" | "exempt";
