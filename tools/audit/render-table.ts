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
import { fitLine, PLAIN, shortResourceName, wrapText, type Palette, type TextStyle } from "../cli/terminal";
import type { AuditReport, ChecklistCell } from "./types";

const CELL: Record<ChecklistCell, string> = {
  pass: "pass",
  advisory: "advisory",
  fail: "FAIL",
  exempt: "exempt",
};

/** How each checklist cell and finding level is coloured on a terminal. */
function paintOf(c: Palette): Record<string, (text: string) => string> {
  return { pass: c.green, advisory: c.yellow, FAIL: c.red, fail: c.red, mandatory: c.red, exempt: c.dim };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** Rows of cells as aligned columns, each row cut to the width; cells coloured after padding. */
function columns(rows: string[][], style: TextStyle): string[] {
  const paint = paintOf(style.colors);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) =>
    fitLine(
      [
        ["  "],
        ...row.map((cell, i): [string, ((t: string) => string)?] => [
          (i === row.length - 1 ? cell : pad(cell, widths[i]!)) + (i === row.length - 1 ? "" : "  "),
          paint[cell],
        ]),
      ],
      style.width,
    ),
  );
}

/** Prose of a finding (message, fix, exemption), wrapped to the width under its finding. */
function prose(text: string, width: number | undefined, lead: string): string[] {
  const indent = " ".repeat(lead.length);
  return text
    .split("\n")
    .flatMap((paragraph, i) => wrapText(paragraph, width, indent, i === 0 ? lead : indent));
}

/**
 * Per stack, the violations with their remediation; then the checklist matrix item × stack. Tables
 * name resources by short name; the JSON and SARIF reports keep whole URNs.
 */
export function auditTable(report: AuditReport, style: TextStyle = PLAIN): string {
  const c = style.colors;
  const paint = paintOf(c);
  const out: string[] = [];
  for (const stack of report.stacks) {
    const open = stack.findings.filter((f) => !isExempt(f));
    out.push(
      c.bold(
        `Stack ${stack.stack}: ${stack.resources} resources, ${open.length} violation${open.length === 1 ? "" : "s"}`,
      ),
    );
    for (const f of stack.findings) {
      const level = isExempt(f) ? "exempt" : f.enforcement;
      out.push(
        fitLine(
          [
            ["  "],
            [`[${level}]`, paint[level]],
            [` ${f.policy} (${f.severity}) `],
            [shortResourceName(f.urn), c.bold],
          ],
          style.width,
        ),
      );
      out.push(...prose(f.message, style.width, "      "));
      if (isExempt(f)) {
        const { expires, reason } = f.exemption!;
        out.push(
          ...prose(
            `exempt until ${expires} (${daysLeftText(daysLeft(expires, stack.date))}): ${reason}`,
            style.width,
            "      ",
          ),
        );
      } else if (f.remediation) out.push(...prose(f.remediation, style.width, "      fix: "));
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
  out.push(c.bold("Checklist"), ...columns(rows, style), "");
  const s = summarize(report);
  out.push(`${s.mandatory} mandatory, ${s.advisory} advisory, ${s.exempt} exempt`);
  const ending = endingSoon(report);
  if (ending.length > 0) {
    out.push(
      "",
      ...prose(
        `Exemptions ending within ${EXPIRY_NOTICE_DAYS} days (then each is a mandatory violation: fix what it waives, or renew it with a reason in policies/exemptions.yaml):`,
        style.width,
        "",
      ),
      ...ending.flatMap((e) =>
        prose(
          `${e.stack}: ${e.exemption.policy} for ${shortResourceName(e.exemption.urn)}, until ${e.exemption.expires} (${daysLeftText(e.daysLeft)})`,
          style.width,
          "  ",
        ),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}
