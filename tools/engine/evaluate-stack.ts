import * as pulumi from "@pulumi/pulumi";
import {
  parsePlatformConfig,
  PROJECT_NAME,
  readLayeredConfig,
  validatePlatform,
  type LayeredConfig,
} from "../../infra/config";
import { program } from "../../infra/program";
import { checkAppsExist } from "./app-filter";
import { computedOutputs } from "./computed-outputs";
import { answerInvoke } from "./invokes";
import { plainOutputs } from "./property-values";
import { serializeDynamicProviders } from "./provider-serialization";
import { recordRegistrations } from "./recording-monitor";
import { withSecretStandIns } from "./secret-stand-ins";
import { withoutStackTraces } from "./stack-traces";
import type { EvaluateOptions, StackEvaluation } from "./types";

const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): Parameters<typeof recordRegistrations>[0];
  waitForRPCs(): Promise<void>;
};

/**
 * Mocked providers echo their inputs as state, with an id derived from the logical name, plus
 * stand-ins for the computed outputs other resources consume; provider functions are answered by
 * local fakes (tools/engine/invokes.ts).
 */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({
    id: `${args.name}-id`,
    state: { ...computedOutputs(args.type, args.name, args.inputs), ...args.inputs },
  }),
  call: (args) => answerInvoke(args.token, args.inputs),
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
 * files, and returns every registered resource. The Pulumi runtime is global to a thread, so a
 * thread evaluates one stack at a time; each evaluation starts it afresh (config, mocks, stack).
 * With `apps`, the whole program still runs (so rules across apps hold); an app the catalog does not
 * declare stops it before anything registers.
 */
export async function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<StackEvaluation> {
  let config = readLayeredConfig(stack, options.projectDir);
  if (!options.requireSecrets) config = withSecretStandIns(config, validatePlatform(stack, config));
  // Validate before registering anything: an invalid stack registers nothing.
  const load = { projectDir: options.projectDir, plainSecrets: options.plainSecrets };
  const platform = parsePlatformConfig(stack, config, load);
  if (options.apps) checkAppsExist(options.apps, Object.keys(platform.apps));

  serializeDynamicProviders(options.serializeProviders === true);
  pulumi.runtime.setAllConfig(engineConfig(config), config.secretKeys);
  await pulumi.runtime.setMocks(mocks, PROJECT_NAME, stack, false);
  const recorded = recordRegistrations(settings.getMonitor());
  // The program's own outputs, not the stack's resolved copy: resolving unwraps secrets.
  let outputs: Record<string, unknown> | undefined;
  await withoutStackTraces(async () => {
    await pulumi.runtime.runInPulumiStack(async () => (outputs = { ...(await program(load)) }));
    await settings.waitForRPCs();
  });

  const root = recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  return {
    stack,
    resources: recorded.filter((r) => r !== root),
    outputs: await plainOutputs(outputs),
  };
}
