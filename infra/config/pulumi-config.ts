import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig, type PlatformConfig } from "./load";
import { configSources, PROJECT_NAME, type LayeredConfig } from "./pulumi-files";

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

/**
 * Loads and validates the current stack's config from the Pulumi runtime: the only place the
 * program reads Pulumi config. The same path serves `pulumi up` and the offline engine.
 */
export function loadPlatformConfig(): PlatformConfig {
  const stack = pulumi.getStack();
  const raw = pulumi.runtime.allConfig();
  const sources = configSources(stack);
  const values: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, text] of Object.entries(raw)) {
    if (!key.startsWith(`${PROJECT_NAME}:`)) continue;
    values[key] = decode(text);
    if (isConfigSecret(key)) secretKeys.push(key);
  }
  const layered: LayeredConfig = { values, sources, secretKeys };
  return parsePlatformConfig(stack, layered);
}
