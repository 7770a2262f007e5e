import { parentPort, workerData } from "node:worker_threads";
import { ConfigError } from "../../infra/config/errors";
import { evaluateStack } from "./evaluate-stack";
import type { Analyze, EvaluateOptions, StackOutcome } from "./types";

/**
 * Pulumi serializes a dynamic provider (Fly, Postgres) by first requiring every built-in module to
 * recognise captured ones, and `trace_events` refuses to load outside the main thread. An inert
 * stand-in lets that lookup finish here; no provider uses trace_events.
 */
const nodeModule = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = nodeModule._load;
nodeModule._load = function (this: unknown, request: string, ...rest: unknown[]): unknown {
  if (request === "trace_events" || request === "node:trace_events") return {};
  return load.call(this, request, ...rest);
};

const { stack, options } = workerData as { stack: string; options: EvaluateOptions };

async function outcome(): Promise<StackOutcome> {
  try {
    const evaluation = await evaluateStack(stack, options);
    if (!options.analyzer) return { stack, ok: true, evaluation };
    const { analyze } = require(options.analyzer) as { analyze: Analyze };
    return { stack, ok: true, evaluation, analysis: await analyze(evaluation, options) };
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
