import * as pulumi from "@pulumi/pulumi";
import {
  parsePlatformConfig,
  PROJECT_NAME,
  readLayeredConfig,
  validatePlatform,
  type LayeredConfig,
} from "../../infra/config";
import { program } from "../../infra/program";
import { computedOutputs } from "./computed-outputs";
import { plainOutputs } from "./property-values";
import { serializeDynamicProviders } from "./provider-serialization";
import { recordRegistrations } from "./recording-monitor";
import { withSecretStandIns } from "./secret-stand-ins";
import type { EvaluateOptions, StackEvaluation } from "./types";

const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): Parameters<typeof recordRegistrations>[0];
  waitForRPCs(): Promise<void>;
};

/**
 * Mocked providers echo their inputs as state, with an id derived from the logical name, plus
 * stand-ins for the computed outputs other resources consume.
 */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({
    id: `${args.name}-id`,
    state: { ...computedOutputs(args.type, args.name, args.inputs), ...args.inputs },
  }),
  call: () => ({}),
};

/** Config as the engine would hand it to the program: strings, objects as JSON. */
function engineConfig(config: LayeredConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.values).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/**
 * Runs the real program for one stack under Pulumi's mock monitor, with the stack's real config
 * files, and returns every registered resource. The Pulumi runtime is process-global, so one
 * process (or worker thread) evaluates one stack.
 */
export async function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<StackEvaluation> {
  let config = readLayeredConfig(stack, options.projectDir);
  if (!options.requireSecrets) config = withSecretStandIns(config, validatePlatform(stack, config));
  // Validate before registering anything: an invalid stack registers nothing.
  parsePlatformConfig(stack, config);

  serializeDynamicProviders(options.serializeProviders === true);
  pulumi.runtime.setAllConfig(engineConfig(config), config.secretKeys);
  await pulumi.runtime.setMocks(mocks, PROJECT_NAME, stack, false);
  const recorded = recordRegistrations(settings.getMonitor());
  // The SDK captures a stack trace for every promise and resource it creates; with source maps that
  // is most of an offline run. Errors keep their messages; LAUNCHPAD_STACK_TRACES=1 keeps the traces.
  const stackTraceLimit = Error.stackTraceLimit;
  if (process.env["LAUNCHPAD_STACK_TRACES"] !== "1") Error.stackTraceLimit = 0;
  // The program's own outputs, not the stack's resolved copy: resolving unwraps secrets.
  let outputs: Record<string, unknown> | undefined;
  try {
    await pulumi.runtime.runInPulumiStack(async () => (outputs = { ...program() }));
    await settings.waitForRPCs();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }

  const root = recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  return {
    stack,
    resources: recorded.filter((r) => r !== root),
    outputs: await plainOutputs(outputs),
  };
}
