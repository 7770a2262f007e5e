import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EvaluateOptions, StackOutcome } from "./types";
import { tuneV8ForEvaluation } from "./v8-tuning";

export * from "./types";
// Kept light: the CLI's main thread imports this module and should not load the Pulumi SDK.
export { STAND_IN_MARKER } from "./stand-in-marker";

/**
 * A worker thread that evaluates the stacks it is sent, one after another. The Pulumi runtime is
 * global to a thread, so a thread runs one stack at a time; it keeps the SDK it loaded (the largest
 * fixed cost of an evaluation) for the next.
 */
class StackThread {
  private readonly worker: Worker;
  private pending: { stack: string; settle: (outcome: StackOutcome) => void } | undefined;
  private stopped: string | undefined;

  constructor(options: EvaluateOptions) {
    this.worker = new Worker(path.join(__dirname, "stack-worker.js"), { workerData: { options } });
    this.worker.on("message", (outcome: StackOutcome) => this.settle(outcome));
    this.worker.once("error", (error) => this.stop(error.stack ?? error.message));
    this.worker.once("exit", (code) => this.stop(`stack evaluation stopped (exit code ${code})`));
  }

  /** False once the thread has crashed or exited: it takes no more stacks. */
  get alive(): boolean {
    return this.stopped === undefined;
  }

  evaluate(stack: string): Promise<StackOutcome> {
    return new Promise((settle) => {
      this.pending = { stack, settle };
      this.worker.postMessage({ stack });
    });
  }

  close(): void {
    this.stopped ??= "closed";
    void this.worker.terminate();
  }

  private settle(outcome: StackOutcome): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.settle(outcome);
  }

  private stop(reason: string): void {
    this.stopped ??= reason;
    if (this.pending) this.settle({ stack: this.pending.stack, ok: false, error: reason });
  }
}

/** How many threads evaluate at once: one per stack, at most one per CPU, unless told. */
function threadCount(stacks: number, options: EvaluateOptions): number {
  const limit = options.threads ?? os.availableParallelism();
  return Math.max(1, Math.min(stacks, limit));
}

/**
 * Runs the real program for each stack under the mock monitor, on a few worker threads in parallel,
 * and returns each stack's outcome in the order asked. `onSettled` reports progress as stacks finish.
 * A thread that crashes fails its stack only; the next stack gets a fresh thread.
 */
export async function evaluateStacks(
  stacks: readonly string[],
  options: EvaluateOptions = {},
  onSettled?: (outcome: StackOutcome) => void,
): Promise<StackOutcome[]> {
  const { threads: _threads, ...workerOptions } = options;
  tuneV8ForEvaluation();
  const outcomes: StackOutcome[] = new Array(stacks.length);
  let next = 0;
  const drain = async (): Promise<void> => {
    let thread: StackThread | undefined;
    try {
      while (next < stacks.length) {
        const index = next++;
        if (!thread?.alive) thread = new StackThread(workerOptions);
        const outcome = await thread.evaluate(stacks[index]!);
        outcomes[index] = outcome;
        onSettled?.(outcome);
      }
    } finally {
      thread?.close();
    }
  };
  await Promise.all(Array.from({ length: threadCount(stacks.length, options) }, drain));
  return outcomes;
}
