import { evaluatePolicies, type PolicyViolation } from "../../policies/evaluate";
import { auditDay, EXEMPTIONS_RULE } from "../../policies/exemptions";
import { CHECKLIST, policies } from "../../policies/rules";
import type { StackEvaluation } from "../engine/types";
import { locator } from "./config-locations";
import type { AuditReport, Finding, RuleInfo, StackAudit } from "./types";

/** Every rule a report can cite: the pack's, and the one exemptions themselves answer to. */
export function ruleCatalog(): RuleInfo[] {
  const title = (item: number): string => CHECKLIST.find((c) => c.number === item)?.text ?? "Exemptions";
  return [
    ...policies.map((rule) => ({
      id: rule.name,
      description: rule.description,
      severity: rule.severity,
      checklistItem: rule.checklistItem,
      checklistTitle: title(rule.checklistItem),
      remediation: rule.remediationSteps,
    })),
    {
      id: EXEMPTIONS_RULE.name,
      description: EXEMPTIONS_RULE.description,
      severity: EXEMPTIONS_RULE.severity,
      checklistItem: 0,
      checklistTitle: "Exemptions",
      remediation: EXEMPTIONS_RULE.remediationSteps,
    },
  ];
}

/**
 * Runs the pack's rules over one stack's recorded resources and locates each finding in the config.
 * Exemptions are judged current on `today` (default: LAUNCHPAD_TODAY, else today, UTC).
 */
export async function auditStack(
  evaluation: StackEvaluation,
  projectDir: string,
  today: string = auditDay(),
): Promise<StackAudit> {
  const report = await evaluatePolicies(evaluation, { projectDir, today });
  const locate = locator(evaluation.stack, evaluation.resources, projectDir);
  const finding = (v: PolicyViolation): Finding => ({
    policy: v.policy,
    severity: v.severity,
    enforcement: v.enforcement,
    urn: v.urn,
    message: v.message,
    ...(v.remediation ? { remediation: v.remediation } : {}),
    checklistItem: v.checklistItem,
    location: locate(v.urn),
  });
  return {
    stack: evaluation.stack,
    date: today,
    resources: report.resources,
    findings: [
      ...report.violations.map(finding),
      ...report.exemptions.map((e) => ({
        ...finding(e),
        exemption: { policy: e.policy, urn: e.exemption, reason: e.reason, expires: e.expires },
      })),
    ],
  };
}

/**
 * The audit of a whole stack narrowed to some apps (`--app`): the findings on their resources, and
 * their resource count. The rules ran on the whole stack, so none misses a resource of another app.
 */
export function onlyApps(audit: StackAudit, kept: StackEvaluation): StackAudit {
  const urns = new Set(kept.resources.map((r) => r.urn));
  return {
    ...audit,
    resources: kept.resources.filter((r) => !r.type.startsWith("pulumi:providers:")).length,
    findings: audit.findings.filter((f) => urns.has(f.urn)),
  };
}

export async function buildAuditReport(
  evaluations: readonly StackEvaluation[],
  projectDir: string,
  today?: string,
): Promise<AuditReport> {
  const stacks = await Promise.all(evaluations.map((e) => auditStack(e, projectDir, today)));
  return { stacks, rules: ruleCatalog() };
}
