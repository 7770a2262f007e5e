import { ConfigError, parsePlatformConfig, validatePlatform, type LayeredConfig } from "../../infra/config";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { realConfig } from "../support/config-fixtures";

/** A stack's real config with a stand-in for every secret, so only the change under test can fail. */
export function completeConfig(stack: string): LayeredConfig {
  const config = realConfig(stack);
  return withSecretStandIns(config, validatePlatform(stack, config));
}

/** The loader's problems as `<file>: <key>: <message>`; none when the config is valid. */
export function problems(stack: string, config: LayeredConfig): string[] {
  try {
    parsePlatformConfig(stack, config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.file}: ${i.key}: ${i.message}`);
    throw error;
  }
}

/** The stack's overrides, typed loosely for editing. */
export function overridesOf(config: LayeredConfig): Record<string, Record<string, any>> {
  return (config.values["launchpad:overrides"] ??= {}) as Record<string, Record<string, any>>;
}
