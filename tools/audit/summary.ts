import type { AuditReport, ChecklistCell, Enforcement, Exemption, Finding, StackAudit } from "./types";

export const isExempt = (finding: Finding): boolean => finding.exemption !== undefined;

/** Counts of open mandatory and advisory findings and of exempted ones, over every stack. */
export function summarize(report: AuditReport): { mandatory: number; advisory: number; exempt: number } {
  const all = report.stacks.flatMap((s) => s.findings);
  return {
    mandatory: all.filter((f) => !isExempt(f) && f.enforcement === "mandatory").length,
    advisory: all.filter((f) => !isExempt(f) && f.enforcement === "advisory").length,
    exempt: all.filter(isExempt).length,
  };
}

/** A checklist item's state in one stack: the worst open finding, else exempt, else pass. */
export function checklistCell(stack: StackAudit, item: number): ChecklistCell {
  const findings = stack.findings.filter((f) => f.checklistItem === item);
  const open = findings.filter((f) => !isExempt(f));
  if (open.some((f) => f.enforcement === "mandatory")) return "fail";
  if (open.length > 0) return "advisory";
  if (findings.length > 0) return "exempt";
  return "pass";
}

/** Checklist items in order, each with its title, as the rules declare them. */
export function checklistItems(report: AuditReport): Array<{ item: number; title: string }> {
  const items = new Map<number, string>();
  // Item 0 holds problems with exemptions themselves; they are not a checklist item.
  for (const rule of report.rules)
    if (rule.checklistItem > 0) items.set(rule.checklistItem, rule.checklistTitle);
  return [...items].sort(([a], [b]) => a - b).map(([item, title]) => ({ item, title }));
}

/** Whether any open finding is at or above the level that fails the run. */
export function failsAt(report: AuditReport, failOn: Enforcement): boolean {
  const counts = summarize(report);
  return counts.mandatory > 0 || (failOn === "advisory" && counts.advisory > 0);
}

/** Within this many days of its end, an exemption is called out in the reports. */
export const EXPIRY_NOTICE_DAYS = 30;

/** Whole days from `date` to an exemption's expiry day (YYYY-MM-DD both); 0: it ends that day. */
export function daysLeft(expires: string, date: string): number {
  return Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

/** "40 days left", "1 day left", "ends today". */
export function daysLeftText(days: number): string {
  if (days <= 0) return "ends today";
  return `${days} day${days === 1 ? "" : "s"} left`;
}

/** One exemption in force in one stack, with the findings it waives. */
export interface ExemptionInForce {
  stack: string;
  exemption: Exemption;
  findings: Finding[];
  daysLeft: number;
}

/** The exemptions each stack applied, in report order; one entry however many findings it waives. */
export function exemptionsInForce(report: AuditReport): ExemptionInForce[] {
  const entries = new Map<string, ExemptionInForce>();
  for (const stack of report.stacks) {
    for (const finding of stack.findings.filter(isExempt)) {
      const exemption = finding.exemption!;
      const key = JSON.stringify([stack.stack, exemption.policy, exemption.urn]);
      const entry = entries.get(key) ?? {
        stack: stack.stack,
        exemption,
        findings: [],
        daysLeft: daysLeft(exemption.expires, stack.date),
      };
      entry.findings.push(finding);
      entries.set(key, entry);
    }
  }
  return [...entries.values()];
}

/** The exemptions ending within EXPIRY_NOTICE_DAYS: once past, each is a mandatory violation. */
export function endingSoon(report: AuditReport): ExemptionInForce[] {
  return exemptionsInForce(report).filter((e) => e.daysLeft <= EXPIRY_NOTICE_DAYS);
}
