import {
  checklistCell,
  checklistItems,
  daysLeftText,
  endingSoon,
  exemptionsInForce,
  EXPIRY_NOTICE_DAYS,
  isExempt,
  summarize,
} from "./summary";
import type { AuditReport, ChecklistCell } from "./types";

const ICON: Record<ChecklistCell, string> = {
  pass: "✅ pass",
  advisory: "⚠️ advisory",
  fail: "❌ fail",
  exempt: "🛡️ exempt",
};

/** Markdown cells must not break the table. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A pull-request comment: the verdict, the checklist matrix, the open violations, the exemptions. */
export function auditMarkdown(report: AuditReport): string {
  const s = summarize(report);
  const verdict = s.mandatory > 0 ? "❌ **blocked**" : "✅ **passes**";
  const stacks = report.stacks.map((x) => x.stack);
  const lines = [
    "## launchpad audit",
    "",
    `${verdict}: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.exempt} exempt violation(s) across ${stacks.join(", ")}.`,
    ...endingNotice(report),
    "",
    `| # | checklist item | ${stacks.join(" | ")} |`,
    `| --- | --- | ${stacks.map(() => "---").join(" | ")} |`,
    ...checklistItems(report).map(
      ({ item, title }) =>
        `| ${item} | ${cell(title)} | ${report.stacks.map((st) => ICON[checklistCell(st, item)]).join(" | ")} |`,
    ),
  ];
  const open = report.stacks.flatMap((st) => st.findings.filter((f) => !isExempt(f)).map((f) => ({ st, f })));
  if (open.length > 0) {
    lines.push(
      "",
      "<details><summary>Violations</summary>",
      "",
      "| stack | level | rule | resource | message |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const { st, f } of open) {
      const resource = f.urn.split("::").pop() ?? f.urn;
      lines.push(
        `| ${st.stack} | ${f.enforcement} | \`${f.policy}\` | \`${cell(resource)}\` | ${cell(f.message)} |`,
      );
    }
    lines.push("", "</details>");
  }
  const exemptions = exemptionsInForce(report);
  if (exemptions.length > 0) {
    lines.push(
      "",
      "<details><summary>Exemptions</summary>",
      "",
      "| stack | rule | resources | until | reason |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const e of exemptions) {
      const until = `${e.exemption.expires} (${daysLeftText(e.daysLeft)})`;
      lines.push(
        `| ${e.stack} | \`${e.exemption.policy}\` | \`${cell(e.exemption.urn)}\` (${e.findings.length}) | ${until} | ${cell(e.exemption.reason)} |`,
      );
    }
    lines.push("", "</details>");
  }
  return `${lines.join("\n")}\n`;
}

/** A line under the verdict when exemptions are about to end: the run after, they fail it. */
function endingNotice(report: AuditReport): string[] {
  const ending = endingSoon(report);
  if (ending.length === 0) return [];
  const names = ending.map((e) => `\`${e.exemption.policy}\` in ${e.stack} (${daysLeftText(e.daysLeft)})`);
  return [
    "",
    `⏳ ${ending.length} exemption(s) end within ${EXPIRY_NOTICE_DAYS} days, then fail the audit: ${names.join(", ")}.`,
  ];
}
