import { isExempt } from "./summary";
import type { AuditReport, Exemption, Finding, RuleInfo } from "./types";

const LEVEL = { mandatory: "error", advisory: "warning" } as const;

/** GitHub code scanning ranks alerts by `security-severity` (0–10). */
const SECURITY_SEVERITY: Record<RuleInfo["severity"], string> = {
  low: "3.0",
  medium: "5.5",
  high: "8.0",
  critical: "9.5",
};

function result(stack: string, finding: Finding, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: finding.policy,
    ruleIndex,
    level: isExempt(finding) ? "note" : LEVEL[finding.enforcement],
    message: { text: `[${stack}] ${finding.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.location.file },
          ...(finding.location.line ? { region: { startLine: finding.location.line } } : {}),
        },
        logicalLocations: [{ fullyQualifiedName: finding.location.key, kind: "member" }],
      },
    ],
    partialFingerprints: { "launchpad/urn": `${finding.policy}:${finding.urn}` },
    properties: { stack, urn: finding.urn, enforcement: finding.enforcement },
    ...(isExempt(finding) ? { suppressions: [suppression(finding.exemption!)] } : {}),
  };
}

/** An exemption as SARIF records an accepted finding: declared outside the code, with its reason and end. */
function suppression(exemption: Exemption): Record<string, string> {
  return {
    kind: "external",
    status: "accepted",
    justification: `${exemption.reason} (exempt until ${exemption.expires}, policies/exemptions.yaml)`,
  };
}

/** SARIF 2.1.0 for GitHub code scanning: every rule with its help text, results in the config files. */
export function auditSarif(report: AuditReport): string {
  const index = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const rules = report.rules.map((rule) => ({
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: {
      text: `Checklist item ${rule.checklistItem}: ${rule.checklistTitle}. ${rule.description}`,
    },
    help: { text: rule.remediation, markdown: `**Remediation**: ${rule.remediation}` },
    defaultConfiguration: { level: "error" },
    properties: {
      "security-severity": SECURITY_SEVERITY[rule.severity],
      tags: ["security", `checklist-${rule.checklistItem}`],
    },
  }));
  const results = report.stacks.flatMap((stack) =>
    stack.findings.map((finding) => result(stack.stack, finding, index.get(finding.policy) ?? 0)),
  );
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "launchpad-audit", rules } }, results }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
