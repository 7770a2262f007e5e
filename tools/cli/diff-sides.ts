import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { StackOutcome } from "../engine/types";

/** This CLI's own package: its code evaluates a tree that carries none. */
const CLI_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The code that evaluates a tree: the nearest folder from its project upwards (not above `top`)
 * holding the offline engine, so each side runs its own program; else this CLI's.
 */
export function codeRootOf(projectDir: string, top: string): string {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "tools", "engine", "index.ts"))) return dir;
    if (dir === top || path.dirname(dir) === dir) return CLI_ROOT;
  }
}

/**
 * An exported tree has no packages: it uses the installed ones (a link, so nothing is copied and the
 * compile caches under node_modules/.cache are shared).
 */
export function linkPackages(codeRoot: string): void {
  const link = path.join(codeRoot, "node_modules");
  if (codeRoot !== CLI_ROOT && !fs.existsSync(link)) {
    fs.symlinkSync(path.join(CLI_ROOT, "node_modules"), link, "dir");
  }
}

/** One side of a diff: where its config is and which code evaluates it. */
export interface DiffSide {
  /** How messages name it: `main (commit 1a2b3c4)` or `the work tree`. */
  label: string;
  projectDir: string;
  codeRoot: string;
}

/**
 * Evaluates the stacks of both sides at once, each with its own engine and program; the threads
 * are shared out so the two together use the machine's CPUs once.
 */
export async function evaluateSides(
  sides: readonly DiffSide[],
  stacks: readonly string[],
  onSettled?: (side: DiffSide, outcome: StackOutcome) => void,
): Promise<StackOutcome[][]> {
  const threads = Math.max(1, Math.floor(os.availableParallelism() / sides.length));
  return Promise.all(
    sides.map((side) => {
      const engine = require(
        path.join(side.codeRoot, "tools", "engine", "index.ts"),
      ) as typeof import("../engine");
      return engine.evaluateStacks(stacks, { projectDir: side.projectDir, threads }, (outcome) =>
        onSettled?.(side, outcome),
      );
    }),
  );
}
