import { isExempt, summarize } from "./summary";
import type { AuditReport } from "./types";

/**
 * `{"stacks":[{"stack","resources","violations":[…],"exemptions":[…]}],"summary":{…}}`: open
 * violations under `violations`, exempted ones (with their reason and expiry) under `exemptions`.
 */
export function auditJson(report: AuditReport): string {
  const stacks = report.stacks.map((stack) => ({
    stack: stack.stack,
    resources: stack.resources,
    violations: stack.findings
      .filter((f) => !isExempt(f))
      .map((f) => ({
        policy: f.policy,
        severity: f.severity,
        enforcement: f.enforcement,
        urn: f.urn,
        message: f.message,
        ...(f.remediation ? { remediation: f.remediation } : {}),
      })),
    exemptions: stack.findings.filter(isExempt).map((f) => ({
      policy: f.policy,
      urn: f.urn,
      reason: f.exemption!.reason,
      expires: f.exemption!.expires,
    })),
  }));
  return `${JSON.stringify({ stacks, summary: summarize(report) }, null, 2)}\n`;
}
