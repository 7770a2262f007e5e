import { resolveDefaults } from "./defaults";
import { ConfigError, type ConfigIssue } from "./errors";
import { locate, mergeOverrides } from "./key-paths";
import { isUnreadableSecret, PROJECT_NAME, type LayeredConfig } from "./pulumi-files";
import { crossFieldIssues, secretValueIssues, type SecretValueMap } from "./rules";
import { platformSchema, type PlatformSpec, type StackName } from "./schema";
import { requiredSecrets, SECRETS_KEY, SecretValues, setSecretCommand } from "./secrets";
import { describeZodIssue } from "./zod-issues";
import { didYouMean } from "./nearest";

/** The validated configuration of one stack: plain typed data plus its secret values. */
export interface PlatformConfig extends PlatformSpec {
  stack: StackName;
  secrets: SecretValues;
}

const KNOWN_KEYS = ["environment", "apps", "overrides", "secrets"].map((k) => `${PROJECT_NAME}:${k}`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the secret values against what the apps need; reports every gap at once. */
function secretIssues(config: LayeredConfig, platform: PlatformSpec, stack: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const raw = config.values[SECRETS_KEY];
  const file = config.sources[SECRETS_KEY] ?? `Pulumi.${stack}.yaml`;
  if (raw !== undefined && !config.secretKeys.includes(SECRETS_KEY)) {
    issues.push({
      file,
      key: SECRETS_KEY,
      message: "holds plain-text values: store each with `pulumi config set --secret`",
    });
  }
  const stored = isPlainObject(raw) ? raw : {};
  const missing: string[] = [];
  for (const [app, spec] of Object.entries(platform.apps)) {
    const needs = requiredSecrets(spec);
    const have = isPlainObject(stored[app]) ? stored[app] : {};
    for (const name of needs.keys()) {
      if (typeof have[name] !== "string" || have[name] === "")
        missing.push(setSecretCommand(stack, app, name));
    }
    for (const name of Object.keys(have)) {
      if (!needs.has(name)) {
        issues.push({
          file,
          key: `${SECRETS_KEY}.${app}.${name}`,
          message: `no part of app "${app}" uses this secret${didYouMean(name, needs.keys()) || " (typo?)"}`,
        });
      }
    }
  }
  for (const app of Object.keys(stored)) {
    if (!(app in platform.apps))
      issues.push({
        file,
        key: `${SECRETS_KEY}.${app}`,
        message: `the catalog declares no app "${app}"${didYouMean(app, Object.keys(platform.apps))}`,
      });
  }
  if (missing.length > 0) {
    issues.push({
      file,
      key: SECRETS_KEY,
      message: `${missing.length} required secret${missing.length === 1 ? " is" : "s are"} not set; run:\n${missing.join("\n")}`,
    });
  }
  return issues;
}

function storedSecrets(config: LayeredConfig): Record<string, Record<string, string>> {
  const raw = config.values[SECRETS_KEY];
  const values: Record<string, Record<string, string>> = {};
  if (isPlainObject(raw)) {
    for (const [app, names] of Object.entries(raw)) {
      if (!isPlainObject(names)) continue;
      values[app] = Object.fromEntries(
        Object.entries(names).filter((e): e is [string, string] => typeof e[1] === "string"),
      );
    }
  }
  return values;
}

/** The stored values a rule can read: encrypted ones that cannot be decrypted here are left out. */
function readableSecrets(stored: Record<string, Record<string, string>>): SecretValueMap {
  return Object.fromEntries(
    Object.entries(stored).map(([app, names]) => [
      app,
      Object.fromEntries(Object.entries(names).filter(([, value]) => !isUnreadableSecret(value))),
    ]),
  );
}

/** Marks each issue with the stack that found it. */
function inStack(stack: string, issues: ConfigIssue[]): ConfigIssue[] {
  return issues.map((issue) => ({ ...issue, stack: issue.stack ?? stack }));
}

/**
 * Validates the environment profile and the app catalog (overrides applied), every rule but the
 * secret values. Throws one ConfigError carrying every problem, each located by file and key path.
 */
export function validatePlatform(stack: string, config: LayeredConfig): PlatformSpec {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(config.values)) {
    if (key.startsWith(`${PROJECT_NAME}:`) && !KNOWN_KEYS.includes(key)) {
      issues.push({
        file: config.sources[key] ?? "Pulumi.yaml",
        key,
        message: `unknown key${didYouMean(key, KNOWN_KEYS)}; launchpad reads ${KNOWN_KEYS.join(", ")}`,
      });
    }
  }
  const apps = config.values[`${PROJECT_NAME}:apps`];
  const overrides = config.values[`${PROJECT_NAME}:overrides`];
  if (overrides !== undefined) {
    if (!isPlainObject(overrides)) {
      const at = locate(config, ["overrides"]);
      issues.push({ ...at, message: "expected a map of app name → the settings that differ in this stack" });
    } else {
      for (const app of Object.keys(overrides)) {
        if (!isPlainObject(apps) || !(app in apps)) {
          issues.push({
            ...locate(config, ["overrides", app]),
            message: `the catalog declares no app "${app}"${isPlainObject(apps) ? didYouMean(app, Object.keys(apps)) : ""}`,
          });
        }
      }
    }
  }
  const input = {
    environment: config.values[`${PROJECT_NAME}:environment`],
    // Overrides of apps the catalog lacks are reported above, not merged into half-declared apps.
    apps:
      isPlainObject(overrides) && isPlainObject(apps)
        ? mergeOverrides(apps, Object.fromEntries(Object.entries(overrides).filter(([app]) => app in apps)))
        : apps,
  };
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) {
      const { path, message } = describeZodIssue(zodIssue, input, platformSchema);
      issues.push({ ...locate(config, path), message });
    }
    throw new ConfigError(inStack(stack, issues));
  }
  issues.push(
    ...crossFieldIssues(parsed.data, stack).map((i) => ({
      ...locate(config, i.path, i.fixInStack ? { stack } : undefined),
      message: i.message,
    })),
  );
  if (issues.length > 0) throw new ConfigError(inStack(stack, issues));
  return resolveDefaults(parsed.data);
}

/**
 * Validates a stack's layered config into a PlatformConfig, secrets included. Pure: it reads
 * nothing and registers nothing.
 */
export function parsePlatformConfig(stack: string, config: LayeredConfig): PlatformConfig {
  const platform = validatePlatform(stack, config);
  const stored = storedSecrets(config);
  const issues = [
    ...secretIssues(config, platform, stack),
    ...secretValueIssues(platform, readableSecrets(stored)).map((i) => ({
      ...locate(config, i.path),
      message: i.message,
    })),
  ];
  if (issues.length > 0) throw new ConfigError(inStack(stack, issues));
  return { ...platform, stack: platform.environment.name, secrets: new SecretValues(stored) };
}
