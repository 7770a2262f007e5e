import { evaluateStacks, type EvaluateOptions, type StackEvaluation, type StackOutcome } from "../engine";
import type { TextStyle } from "./terminal";
import { describeFailures } from "./report-failures";
import { unknownAppsUsage } from "./usage";

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress lines go to stderr only when it is a terminal. */
  progress: boolean;
  /** Colour and width of what goes to stdout (tables only; JSON, SARIF and Markdown stay plain). */
  style: TextStyle;
}

export type StacksResult =
  { ok: true; evaluations: StackEvaluation[]; analyses: unknown[] } | { ok: false; exitCode: number };

/**
 * Evaluates stacks offline with progress on a terminal; on any failure prints every problem to
 * stderr and says which exit code the command should end with (2: config, 1: crash). An `--app`
 * the catalog does not declare is a UsageError.
 */
export async function runStacks(
  stacks: string[],
  options: EvaluateOptions,
  io: CliIO,
): Promise<StacksResult> {
  const started = Date.now();
  if (io.progress) io.stderr(`Evaluating ${stacks.join(", ")} offline…\n`);
  const outcomes: StackOutcome[] = await evaluateStacks(stacks, options, (outcome) => {
    if (!io.progress) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr(`  ${outcome.ok ? "✓" : "✗"} ${outcome.stack} (${seconds} s)\n`);
  });
  const { configErrors, crashes, unknownApps } = describeFailures(outcomes);
  if (unknownApps && configErrors.length === 0)
    throw unknownAppsUsage(unknownApps.unknown, unknownApps.catalog);
  if (configErrors.length > 0) {
    io.stderr(
      `launchpad: invalid configuration (${configErrors.length} problem${configErrors.length === 1 ? "" : "s"}):\n`,
    );
    for (const line of configErrors) io.stderr(`  ${line.replace(/\n/g, "\n    ")}\n`);
  }
  for (const crash of crashes) io.stderr(`launchpad: evaluation failed: ${crash}\n`);
  if (configErrors.length > 0) return { ok: false, exitCode: 2 };
  if (crashes.length > 0) return { ok: false, exitCode: 1 };
  const done = outcomes.flatMap((o) => (o.ok ? [o] : []));
  return { ok: true, evaluations: done.map((o) => o.evaluation), analyses: done.map((o) => o.analysis) };
}
