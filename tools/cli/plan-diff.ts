import * as fs from "node:fs";
import * as path from "node:path";
import { keepApps } from "../engine/app-filter";
import type { StackEvaluation, StackOutcome } from "../engine/types";
import { codeRootOf, evaluateSides, linkPackages, type DiffSide } from "./diff-sides";
import { diffJson, diffMarkdown, diffTable, type PlanDiff } from "./diff-render";
import { dynamicReplacements } from "./dynamic-replacements";
import { exportCommit, GitRefError } from "./git-tree";
import { describeFailures } from "./report-failures";
import type { CliIO } from "./run-stacks";
import { diffStack } from "./stack-diff";
import { unknownAppsUsage, UsageError } from "./usage";

export const DIFF_FORMATS = ["table", "json", "markdown"] as const;

export interface PlanDiffOptions {
  ref: string;
  stacks: string[];
  apps?: string[];
  format: (typeof DIFF_FORMATS)[number];
  projectDir: string;
}

/** Prints a side's failures, naming the side; returns the exit code (2 config, 1 crash) or 0. */
function reportSide(side: DiffSide, outcomes: readonly StackOutcome[], io: CliIO): number {
  const { configErrors, crashes } = describeFailures(outcomes);
  if (configErrors.length > 0) {
    const count = configErrors.length;
    io.stderr(
      `launchpad plan --diff: invalid configuration in ${side.label} (${count} problem${count === 1 ? "" : "s"}):\n`,
    );
    for (const line of configErrors) io.stderr(`  ${line.replace(/\n/g, "\n    ")}\n`);
  }
  for (const crash of crashes)
    io.stderr(`launchpad plan --diff: evaluation of ${side.label} failed: ${crash}\n`);
  return configErrors.length > 0 ? 2 : crashes.length > 0 ? 1 : 0;
}

const appsIn = (evaluations: readonly StackEvaluation[]): string[] =>
  evaluations.flatMap((e) => e.resources.filter((r) => r.type === "launchpad:index:App").map((r) => r.name));

/**
 * `launchpad plan --diff REF`: evaluates the stacks at REF (its tree exported from git, with its own
 * config and code) and in the work tree, and prints what the change does to each stack. Exit 0
 * whether or not anything changes; 2 for a ref that names no commit or a side whose config is
 * invalid (naming the side); 1 when an evaluation crashes.
 */
export async function planDiff(options: PlanDiffOptions, io: CliIO): Promise<number> {
  let exported;
  try {
    exported = exportCommit(options.projectDir, options.ref);
  } catch (error) {
    if (error instanceof GitRefError) throw new UsageError(`--diff: ${error.message}`);
    throw error;
  }
  try {
    const base: DiffSide = {
      label: `${options.ref} (commit ${exported.commit.slice(0, 12)})`,
      projectDir: exported.projectDir,
      codeRoot: codeRootOf(exported.projectDir, exported.root),
    };
    if (!fs.existsSync(base.projectDir)) {
      io.stderr(
        `launchpad plan --diff: ${base.label} has no folder ${path.relative(exported.root, base.projectDir)}\n`,
      );
      return 2;
    }
    linkPackages(base.codeRoot);
    const work: DiffSide = {
      label: "the work tree",
      projectDir: options.projectDir,
      codeRoot: codeRootOf(options.projectDir, path.parse(options.projectDir).root),
    };
    if (io.progress)
      io.stderr(`Evaluating ${options.stacks.join(", ")} at ${base.label} and in the work tree…\n`);
    const [before, after] = await evaluateSides([base, work], options.stacks, (side, outcome) => {
      if (io.progress) io.stderr(`  ${outcome.ok ? "✓" : "✗"} ${outcome.stack} (${side.label})\n`);
    });
    const code = Math.max(reportSide(base, before!, io), reportSide(work, after!, io));
    if (code !== 0) return code;
    let old = before!.flatMap((o) => (o.ok ? [o.evaluation] : []));
    let now = after!.flatMap((o) => (o.ok ? [o.evaluation] : []));
    if (options.apps) {
      const known = [...new Set([...appsIn(now), ...appsIn(old)])];
      const unknown = options.apps.filter((app) => !known.includes(app));
      if (unknown.length > 0) throw unknownAppsUsage(unknown, known);
      old = old.map((e) => keepApps(e, options.apps!));
      now = now.map((e) => keepApps(e, options.apps!));
    }
    const dynamicDiff = dynamicReplacements(work.codeRoot);
    const stacks = await Promise.all(now.map((next, i) => diffStack(old[i]!, next, dynamicDiff)));
    const diff: PlanDiff = { base: { ref: options.ref, commit: exported.commit }, stacks };
    io.stdout(
      options.format === "json"
        ? diffJson(diff)
        : options.format === "markdown"
          ? diffMarkdown(diff)
          : diffTable(diff, io.style),
    );
    return 0;
  } finally {
    exported.remove();
  }
}
