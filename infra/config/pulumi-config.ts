import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig, type PlainSecrets, type PlatformConfig } from "./load";
import {
  plainLeaves,
  PROJECT_DIR,
  PROJECT_NAME,
  readLayeredConfig,
  type LayeredConfig,
} from "./pulumi-files";
import { SECRETS_KEY } from "./secrets";

// The runtime knows which keys the engine marked secret but leaves the lookup out of its typings.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret(key: string): boolean;
};

/** Config values arrive from the engine as strings; objects and lists as JSON. */
function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface LoadOptions {
  /** The folder holding Pulumi.yaml and the stack files (default: this project's). */
  projectDir?: string;
  /** What to do with secret values stored in plain text (default: refuse the config). */
  plainSecrets?: PlainSecrets;
}

/** What the files say beyond the values: where each key is set, and which secret values are plain. */
function fileFacts(stack: string, dir: string): Pick<LayeredConfig, "sources" | "plainSecrets"> {
  try {
    const { sources, plainSecrets } = readLayeredConfig(stack, dir);
    return { sources, plainSecrets };
  } catch {
    return { sources: {} };
  }
}

/**
 * Loads and validates the current stack's config from the Pulumi runtime: the only place the
 * program reads Pulumi config. The same path serves `pulumi up` and the offline engine.
 */
export function loadPlatformConfig(options: LoadOptions = {}): PlatformConfig {
  const stack = pulumi.getStack();
  const raw = pulumi.runtime.allConfig();
  const facts = fileFacts(stack, options.projectDir ?? PROJECT_DIR);
  const values: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, text] of Object.entries(raw)) {
    if (!key.startsWith(`${PROJECT_NAME}:`)) continue;
    values[key] = decode(text);
    if (isConfigSecret(key)) secretKeys.push(key);
  }
  // The engine marks a whole key secret when any of its values is: the stack file tells value by value.
  const unmarked = values[SECRETS_KEY] !== undefined && !secretKeys.includes(SECRETS_KEY);
  const plainSecrets = [
    ...new Set([
      ...(facts.plainSecrets ?? []),
      ...(unmarked ? plainLeaves(values[SECRETS_KEY], SECRETS_KEY) : []),
    ]),
  ];
  const layered: LayeredConfig = { values, sources: facts.sources, secretKeys, plainSecrets };
  return parsePlatformConfig(stack, layered, { plainSecrets: options.plainSecrets });
}
