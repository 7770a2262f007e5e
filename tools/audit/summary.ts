import type { AuditReport, ChecklistCell, Enforcement, Finding, StackAudit } from "./types";

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
