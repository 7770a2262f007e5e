import {
  checklistCell,
  checklistItems,
  daysLeft,
  daysLeftText,
  endingSoon,
  EXPIRY_NOTICE_DAYS,
  isExempt,
  summarize,
} from "./summary";
import type { AuditReport, ChecklistCell } from "./types";

const CELL: Record<ChecklistCell, string> = {
  pass: "pass",
  advisory: "advisory",
  fail: "FAIL",
  exempt: "exempt",
};

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** Rows of cells as aligned columns. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join("  "),
  );
}

/** Per stack, the violations with their remediation; then the checklist matrix item × stack. */
export function auditTable(report: AuditReport): string {
  const out: string[] = [];
  for (const stack of report.stacks) {
    const open = stack.findings.filter((f) => !isExempt(f));
    out.push(
      `Stack ${stack.stack}: ${stack.resources} resources, ${open.length} violation${open.length === 1 ? "" : "s"}`,
    );
    for (const f of stack.findings) {
      const level = isExempt(f) ? "exempt" : f.enforcement;
      out.push(`  [${level}] ${f.policy} (${f.severity}) ${f.urn}`);
      out.push(`      ${f.message}`);
      if (isExempt(f)) {
        const { expires, reason } = f.exemption!;
        out.push(`      exempt until ${expires} (${daysLeftText(daysLeft(expires, stack.date))}): ${reason}`);
      } else if (f.remediation) out.push(`      fix: ${f.remediation.replace(/\n/g, "\n           ")}`);
    }
    out.push("");
  }
  const stacks = report.stacks.map((s) => s.stack);
  const rows = [
    ["#", "checklist item", ...stacks],
    ...checklistItems(report).map(({ item, title }) => [
      String(item),
      title,
      ...report.stacks.map((stack) => CELL[checklistCell(stack, item)]),
    ]),
  ];
  out.push("Checklist", ...columns(rows).map((line) => `  ${line}`), "");
  const s = summarize(report);
  out.push(`${s.mandatory} mandatory, ${s.advisory} advisory, ${s.exempt} exempt`);
  const ending = endingSoon(report);
  if (ending.length > 0) {
    out.push(
      "",
      `Exemptions ending within ${EXPIRY_NOTICE_DAYS} days (then each is a mandatory violation: fix what it waives, or renew it with a reason in policies/exemptions.yaml):`,
      ...ending.map(
        (e) =>
          `  ${e.stack}: ${e.exemption.policy} for ${e.exemption.urn}, until ${e.exemption.expires} (${daysLeftText(e.daysLeft)})`,
      ),
    );
  }
  return `${out.join("\n")}\n`;
}
