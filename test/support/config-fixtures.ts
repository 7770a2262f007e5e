import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  ConfigError,
  parsePlatformConfig,
  readLayeredConfig,
  requiredSecrets,
  validatePlatform,
  type ConfigIssue,
  type LayeredConfig,
} from "../../infra/config";

/** The real layered config of a stack, deep-copied so a test can change it freely. */
export function realConfig(stack: string): LayeredConfig {
  return structuredClone(readLayeredConfig(stack));
}

/** The catalog of a layered config, typed loosely for editing. */
export function appsOf(config: LayeredConfig): Record<string, Record<string, any>> {
  return config.values["launchpad:apps"] as Record<string, Record<string, any>>;
}

/** A copy of the project's Pulumi files in a temporary folder, for CLI runs on edited config. */
export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-config-"));
  for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.qa.yaml", "Pulumi.prod.yaml"]) {
    fs.copyFileSync(path.resolve(__dirname, "..", "..", file), path.join(dir, file));
  }
  return dir;
}

/** Replaces one exact piece of text in a project file; fails loudly when the text is not there. */
export function editFile(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

/** A value for each secret the apps of a stack need, from `valueOf(app, name)`. */
export function secretValuesFor(
  stack: string,
  valueOf: (app: string, name: string) => string,
): Record<string, Record<string, string>> {
  const platform = validatePlatform(stack, readLayeredConfig(stack));
  return Object.fromEntries(
    Object.entries(platform.apps).map(([app, spec]) => [
      app,
      Object.fromEntries([...requiredSecrets(spec).keys()].map((name) => [name, valueOf(app, name)])),
    ]),
  );
}

/** Stores secret values in a stack's layered config, marked secret as `pulumi config set --secret` does. */
export function withSecrets(
  config: LayeredConfig,
  stack: string,
  values: Record<string, Record<string, string>>,
): LayeredConfig {
  config.values["launchpad:secrets"] = values;
  config.sources["launchpad:secrets"] = `Pulumi.${stack}.yaml`;
  config.secretKeys = [...config.secretKeys, "launchpad:secrets"];
  config.plainSecrets = [];
  return config;
}

/** The problems the loader finds in a stack's layered config; none when it is valid. */
export function configIssues(stack: string, config: LayeredConfig): ConfigIssue[] {
  try {
    parsePlatformConfig(stack, config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}
