import { parentPort, workerData } from "node:worker_threads";
import { ConfigError } from "../../infra/config/errors";
import { evaluateStack } from "./evaluate-stack";
import type { EvaluateOptions, StackOutcome } from "./types";

const { stack, options } = workerData as { stack: string; options: EvaluateOptions };

async function outcome(): Promise<StackOutcome> {
  try {
    return { stack, ok: true, evaluation: await evaluateStack(stack, options) };
  } catch (error) {
    if (error instanceof ConfigError) return { stack, ok: false, configIssues: error.issues };
    return {
      stack,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

void outcome().then((result) => parentPort?.postMessage(result));
