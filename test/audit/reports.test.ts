import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAuditReport } from "../../tools/audit/build-report";
import { auditJson } from "../../tools/audit/render-json";
import { auditMarkdown } from "../../tools/audit/render-markdown";
import { auditSarif } from "../../tools/audit/render-sarif";
import { auditTable } from "../../tools/audit/render-table";
import { loadExemptions, urnPattern, type Exemption } from "../../policies/exemptions";
import { checklistCell, daysLeft, daysLeftText, endingSoon, failsAt } from "../../tools/audit/summary";
import type { AuditReport, Finding } from "../../tools/audit/types";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { sarifValidator } from "../support/sarif-schema";

const PROJECT = path.resolve(__dirname, "..", "..");

/** The day `days` after (or before, when negative) `day`, both YYYY-MM-DD. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The shipped exemption of prod that ends first: the dates of the expiry tests follow from it. */
function firstEndingInProd(): Exemption {
  const prod = loadExemptions().filter((e) => (e.environments as readonly string[]).includes("prod"));
  if (prod.length === 0)
    throw new Error("policies/exemptions.yaml holds no prod exemption to test expiry on");
  return [...prod].sort((a, b) => a.expires.localeCompare(b.expires))[0]!;
}

/** The first words of an exemption's reason, which reports quote. */
const reasonStart = (e: Exemption): string => e.reason.split(" ").slice(0, 3).join(" ");
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A copy of a report with one more open finding, as a violated rule would add it. */
function withFinding(report: AuditReport, stack: string, finding: Partial<Finding>): AuditReport {
  const base: Finding = {
    policy: "deploy-gating",
    severity: "high",
    enforcement: "mandatory",
    urn: `urn:pulumi:${stack}::launchpad::launchpad:index:App::mapquiz`,
    message: "injected",
    checklistItem: 11,
    location: { file: "Pulumi.yaml", key: "launchpad:apps.mapquiz", line: 3 },
  };
  return {
    ...report,
    stacks: report.stacks.map((s) =>
      s.stack === stack ? { ...s, findings: [...s.findings, { ...base, ...finding }] } : s,
    ),
  };
}

describe("audit reports of the real stacks", () => {
  let evaluations: StackEvaluation[];
  let report: AuditReport;

  const shipped = firstEndingInProd();
  /** How many prod resources the exemption waives: those its URN pattern matches. */
  let waivedInProd: number;

  beforeAll(async () => {
    evaluations = [];
    for (const stack of ["dev", "prod"]) evaluations.push(await evaluateStack(stack));
    // Judged on a day every shipped exemption holds, whatever the calendar says.
    report = await buildAuditReport(evaluations, PROJECT, shipped.expires);
    const prod = evaluations.find((e) => e.stack === "prod")!;
    waivedInProd = prod.resources.filter((r) => urnPattern(shipped.urn).test(r.urn)).length;
  });

  it("leaves no mandatory violation standing in the shipped configuration", () => {
    expect(failsAt(report, "mandatory")).toBe(false);
    expect(JSON.parse(auditJson(report)).summary.mandatory).toBe(0);
  });

  it("JSON follows the documented shape", () => {
    const json = JSON.parse(auditJson(report));
    expect(Object.keys(json)).toEqual(["stacks", "summary"]);
    expect(Object.keys(json.summary)).toEqual(["mandatory", "advisory", "exempt"]);
    for (const stack of json.stacks) {
      expect(stack.resources).toBe(evaluations.find((e) => e.stack === stack.stack)!.resources.length);
      for (const v of stack.violations) {
        expect(Object.keys(v)).toEqual(
          expect.arrayContaining(["policy", "severity", "enforcement", "urn", "message"]),
        );
        expect(["mandatory", "advisory"]).toContain(v.enforcement);
      }
      for (const e of stack.exemptions) {
        expect(e.expires).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(e.reason.length).toBeGreaterThan(10);
      }
    }
  });

  it("the table's checklist matrix agrees with the JSON", () => {
    const injected = withFinding(report, "prod", {});
    const json = JSON.parse(auditJson(injected));
    const table = auditTable(injected);
    const matrix = table.slice(table.indexOf("Checklist"));
    for (const item of [1, 2, 3, 5, 11, 12]) {
      const row = matrix.split("\n").find((line) => line.trimStart().startsWith(`${item} `))!;
      const cells = row
        .trim()
        .split(/\s{2,}/)
        .slice(2);
      json.stacks.forEach(
        (stack: { stack: string; violations: Array<{ policy: string; enforcement: string }> }, i: number) => {
          const audit = injected.stacks.find((s) => s.stack === stack.stack)!;
          const open = audit.findings.filter((f) => f.checklistItem === item && !f.exemption);
          const expected = open.some((f) => f.enforcement === "mandatory")
            ? "FAIL"
            : open.length > 0
              ? "advisory"
              : undefined;
          if (expected) expect(cells[i]).toBe(expected);
          else expect(["pass", "exempt"]).toContain(cells[i]);
          expect(checklistCell(audit, item) === "fail").toBe(cells[i] === "FAIL");
        },
      );
    }
    expect(matrix).toMatch(/11\s+Deploy gating\s+\S+\s+FAIL/);
  });

  it("an injected mandatory violation fails the run; advisory ones only with --fail-on advisory", () => {
    expect(failsAt(withFinding(report, "prod", {}), "mandatory")).toBe(true);
    const advisory = withFinding(report, "dev", { enforcement: "advisory" });
    expect(failsAt(advisory, "mandatory")).toBe(false);
    expect(failsAt(advisory, "advisory")).toBe(true);
  });

  it("SARIF validates against the SARIF 2.1.0 schema and locates results in the config", () => {
    const sarif = JSON.parse(auditSarif(withFinding(report, "prod", {})));
    expect(sarifValidator()(sarif)).toEqual([]);
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; help: { text: string } }>;
    expect(rules.map((r) => r.id)).toContain("deploy-gating");
    expect(rules.every((r) => r.help.text.length > 0)).toBe(true);
    const injected = sarif.runs[0].results.find(
      (r: { message: { text: string } }) => r.message.text === "[prod] injected",
    );
    expect(injected.level).toBe("error");
    expect(injected.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "Pulumi.yaml" },
      region: { startLine: 3 },
    });
    expect(rules[injected.ruleIndex]!.id).toBe("deploy-gating");
    const exempt = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(waivedInProd).toBeGreaterThan(0);
    expect(exempt).toHaveLength(waivedInProd);
    expect(exempt[0].suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: expect.stringMatching(
          new RegExp(
            `^${escape(reasonStart(shipped))} .* \\(exempt until ${shipped.expires}, policies/exemptions\\.yaml\\)$`,
          ),
        ),
      },
    ]);
  });

  it("locates a real finding on the line of the app part that declares it", () => {
    const located = report.stacks
      .flatMap((s) => s.findings)
      .filter((f) => f.location.key.startsWith("launchpad:apps."));
    expect(located.length).toBeGreaterThan(0);
    for (const f of located) {
      expect(f.location.file).toBe("Pulumi.yaml");
      expect(f.location.line).toBeGreaterThan(1);
    }
  });

  it("Markdown gives the verdict, the matrix and the open violations", () => {
    const passing = auditMarkdown(report);
    expect(passing).toContain("✅ **passes**");
    expect(passing).toMatch(/\| 11 \| Deploy gating \| .* \|/);
    const failing = auditMarkdown(withFinding(report, "prod", { message: "a | pipe" }));
    expect(failing).toContain("❌ **blocked**");
    expect(failing).toContain("| prod | mandatory | `deploy-gating` | `mapquiz` | a \\| pipe |");
  });

  it("judges exemptions on the audit's day and calls out those about to end", async () => {
    const { policy, expires } = shipped;
    const day = shiftDay(expires, -10);
    const soon = await buildAuditReport(evaluations, PROJECT, day);
    expect(soon.stacks.map((st) => st.date)).toEqual([day, day]);
    expect(endingSoon(soon).map((e) => [e.stack, e.exemption.policy, e.findings.length, e.daysLeft])).toEqual(
      [["prod", policy, waivedInProd, 10]],
    );
    const table = auditTable(soon);
    expect(table).toContain(`exempt until ${expires} (10 days left): ${reasonStart(shipped)}`);
    expect(table).toMatch(
      new RegExp(
        `Exemptions ending within 30 days[^\\n]*\\n {2}prod: ${policy} for [^\\n\\[]+ \\[[^\\]]+\\], until ${expires} \\(10 days left\\)\\n$`,
      ),
    );
    const markdown = auditMarkdown(soon);
    expect(markdown).toContain(
      `⏳ 1 exemption(s) end within 30 days, then fail the audit: \`${policy}\` in prod (10 days left).`,
    );
    expect(markdown).toMatch(
      new RegExp(
        `\\| prod \\| \`${policy}\` \\| \`urn:pulumi:prod::[^\`]*\` \\(${waivedInProd}\\) \\| ${expires} \\(10 days left\\) \\| ${escape(reasonStart(shipped))}`,
      ),
    );

    const early = await buildAuditReport(evaluations, PROJECT, shiftDay(expires, -60));
    expect(endingSoon(early)).toEqual([]);
    expect(auditTable(early)).not.toContain("Exemptions ending");
    expect(auditMarkdown(early)).not.toContain("⏳");
    expect(auditMarkdown(early)).toContain(`${expires} (60 days left)`);

    const after = await buildAuditReport(evaluations, PROJECT, shiftDay(expires, 1));
    expect(after.stacks.flatMap((st) => st.findings.filter((f) => f.exemption))).toEqual([]);
    expect(failsAt(after, "mandatory")).toBe(true);
  });
});

describe("days left on an exemption", () => {
  it("count whole days to the expiry day, which still holds", () => {
    expect(daysLeft("2026-12-31", "2026-12-31")).toBe(0);
    expect(daysLeft("2026-12-31", "2026-12-30")).toBe(1);
    expect(daysLeft("2027-03-01", "2027-02-01")).toBe(28);
    expect(daysLeft("2026-03-30", "2026-03-28")).toBe(2);
    expect([0, 1, 2].map(daysLeftText)).toEqual(["ends today", "1 day left", "2 days left"]);
  });
});
