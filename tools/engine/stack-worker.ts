import { parentPort, workerData } from "node:worker_threads";
import { ConfigError } from "../../infra/config/errors";
import { keepApps, UnknownAppsError } from "./app-filter";
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

const { options } = workerData as { options: EvaluateOptions };
const analyze = options.analyzer ? (require(options.analyzer) as { analyze: Analyze }).analyze : undefined;

async function outcome(stack: string): Promise<StackOutcome> {
  try {
    const whole = await evaluateStack(stack, options);
    // The analyzer sees the whole stack (its rules span apps) and is told which apps to report.
    const analysis = analyze ? { analysis: await analyze(whole, options) } : {};
    const evaluation = options.apps ? keepApps(whole, options.apps) : whole;
    return { stack, ok: true, evaluation, ...analysis };
  } catch (error) {
    if (error instanceof ConfigError) return { stack, ok: false, configIssues: error.issues };
    if (error instanceof UnknownAppsError) {
      return { stack, ok: false, unknownApps: error.unknown, catalogApps: error.catalog };
    }
    return {
      stack,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

// Stacks arrive one at a time; the thread evaluates each as its own program run.
parentPort?.on("message", ({ stack }: { stack: string }) => {
  void outcome(stack).then((result) => parentPort?.postMessage(result));
});
