import * as v8 from "node:v8";

/**
 * V8 optimizes a function once it has run ~66 KB of its bytecode. An offline evaluation lasts
 * seconds and most of its code runs briefly (module set-up, config parsing, one stack's program):
 * optimizing it at that budget spent more CPU on background compiles, competing with the
 * evaluation threads for the cores, than the optimized code saved. Eight times the budget keeps
 * optimization for the code that stays hot. Measured with `npm run bench` on two cores: a fifth
 * less wall time and a third less CPU on the seed catalog, no worse at 100 apps.
 */
export const INTERRUPT_BUDGET = 8 * 67_584;

/**
 * The V8 options the engine sets for itself: none that the user chose already on Node's command
 * line (`node --interrupt-budget=… bin/launchpad.js`), since theirs win. Node refuses V8's budget
 * in NODE_OPTIONS, so the command line is the only place to look.
 */
export function shortRunFlags(execArgv: readonly string[]): string[] {
  const userSet = execArgv.some((arg) => /^--interrupt[-_]budget(=|$)/.test(arg));
  return userSet ? [] : [`--interrupt-budget=${INTERRUPT_BUDGET}`];
}

let tuned = false;

/**
 * Applies the short-run options once per process, before the evaluation threads start: V8 options
 * are process-wide, and a thread's isolate takes them when it is created.
 */
export function tuneV8ForEvaluation(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of shortRunFlags(process.execArgv)) {
    v8.setFlagsFromString(flag);
  }
}
