import { auditJson } from "../audit/render-json";
import { auditMarkdown } from "../audit/render-markdown";
import { auditSarif } from "../audit/render-sarif";
import { auditTable } from "../audit/render-table";
import { failsAt, summarize } from "../audit/summary";
import type { AuditReport, Enforcement, StackAnalysis } from "../audit/types";
import { deliverReport, prepareReportFile } from "./report-file";
import { runStacks, type CliIO } from "./run-stacks";
import { PLAIN, type TextStyle } from "./terminal";
import { parseCommandLine, parseFormat, parseStacks, UsageError } from "./usage";

export const AUDIT_USAGE = `Usage: launchpad audit [--stack dev|qa|prod|all] [--app A]... [--format table|json|sarif|markdown]
                       [--output FILE] [--fail-on mandatory|advisory] [--cwd DIR]

Evaluates the security policy pack (policies/) offline against what each stack declares — the
same rules \`pulumi preview --policy-pack policies\` runs — at the enforcement levels of each
stack's environment profile, with the accountable exemptions of policies/exemptions.yaml.

Options:
  --stack S        dev, qa, prod, a comma-separated list, or all (default: all)
  --app A          only this app's resources (repeatable); the whole catalog is still validated
  --format F       table (default): violations and a checklist matrix; json; sarif (GitHub code
                   scanning); markdown (a pull-request comment)
  --output FILE    write the report to FILE instead of standard output (its folder is created
                   when missing)
  --fail-on L      mandatory (default): exit 1 if a mandatory violation stands;
                   advisory: exit 1 if any violation stands
  --cwd DIR        project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help       show this help

Exit codes: 0 no violation at or above --fail-on, 1 violations (or an evaluation failure),
2 invalid configuration or usage (a report FILE that cannot be written among them).
`;

const RENDER: Record<string, (report: AuditReport, style: TextStyle) => string> = {
  table: auditTable,
  json: auditJson,
  sarif: auditSarif,
  markdown: auditMarkdown,
};

export async function auditCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      app: { type: "string", multiple: true },
      format: { type: "string" },
      output: { type: "string" },
      "fail-on": { type: "string" },
    },
    AUDIT_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stacks = parseStacks(values.stack, AUDIT_USAGE);
  const format = parseFormat(values.format, ["table", "json", "sarif", "markdown"] as const, AUDIT_USAGE);
  const failOn = values["fail-on"] ?? "mandatory";
  if (failOn !== "mandatory" && failOn !== "advisory") {
    throw new UsageError(`--fail-on: expected mandatory or advisory, got "${failOn}"`, AUDIT_USAGE);
  }
  // Checked before the evaluation: a report with nowhere to go fails at once, not a second later.
  const output = values.output === undefined ? undefined : prepareReportFile(values.output, AUDIT_USAGE);

  // Each stack is audited by the worker thread that evaluated it, right after its evaluation.
  const result = await runStacks(
    stacks,
    // Plain-text secrets are reported as checklist item 2, not refused: the audit still runs.
    {
      projectDir,
      analyzer: require.resolve("../audit/analyze"),
      plainSecrets: "declare",
      ...(values.app ? { apps: values.app } : {}),
    },
    io,
  );
  if (!result.ok) return result.exitCode;
  const analyses = result.analyses as StackAnalysis[];
  const report: AuditReport = { stacks: analyses.map((a) => a.audit), rules: analyses[0]?.rules ?? [] };
  // A report file is read later, elsewhere: plain, whole lines.
  const text = RENDER[format]!(report, output ? PLAIN : io.style);
  if (!deliverReport(io, "audit", output, text)) return 2;
  if (output) {
    const s = summarize(report);
    io.stderr(
      `launchpad audit: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.exempt} exempt; report in ${values.output}\n`,
    );
  }
  return failsAt(report, failOn as Enforcement) ? 1 : 0;
}
