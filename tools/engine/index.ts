import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EvaluateOptions, StackOutcome } from "./types";

export * from "./types";
// Kept light: the CLI's main thread imports this module and should not load the Pulumi SDK.
export { STAND_IN_MARKER } from "./stand-in-marker";

/** Evaluates one stack in its own worker thread (the Pulumi runtime is global to a thread). */
function evaluateInWorker(stack: string, options: EvaluateOptions): Promise<StackOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(path.join(__dirname, "stack-worker.js"), { workerData: { stack, options } });
    let settled = false;
    const settle = (outcome: StackOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      void worker.terminate();
    };
    worker.once("message", (outcome: StackOutcome) => settle(outcome));
    worker.once("error", (error) => settle({ stack, ok: false, error: error.stack ?? error.message }));
    worker.once("exit", (code) =>
      settle({ stack, ok: false, error: `stack evaluation stopped (exit code ${code})` }),
    );
  });
}

/**
 * Runs the real program for each stack under the mock monitor, all stacks in parallel, and returns
 * each stack's outcome in the order asked. `onSettled` reports progress as stacks finish.
 */
export async function evaluateStacks(
  stacks: readonly string[],
  options: EvaluateOptions = {},
  onSettled?: (outcome: StackOutcome) => void,
): Promise<StackOutcome[]> {
  return Promise.all(
    stacks.map(async (stack) => {
      const outcome = await evaluateInWorker(stack, options);
      onSettled?.(outcome);
      return outcome;
    }),
  );
}
