import { resolveDefaults } from "./defaults";
import { ConfigError, type ConfigIssue } from "./errors";
import { locate, mergeOverrides } from "./key-paths";
import { isUnreadableSecret, plainLeaves, PROJECT_NAME, type LayeredConfig } from "./pulumi-files";
import { crossFieldIssues, secretValueIssues, type SecretValueMap } from "./rules";
import { platformSchema, type PlatformSpec, type StackName } from "./schema";
import { requiredSecrets, SECRETS_KEY, SecretValues, setSecretCommand } from "./secrets";
import { describeZodIssue } from "./zod-issues";
import { didYouMean } from "./nearest";

/** The validated configuration of one stack: plain typed data plus its secret values. */
export interface PlatformConfig extends PlatformSpec {
  stack: StackName;
  secrets: SecretValues;
  /** Secret values the stack's files hold in plain text; empty unless the loader was told to declare them. */
  plainSecrets: PlainSecret[];
}

/** A secret value written in plain text, by the file and key that hold it. */
export interface PlainSecret {
  app: string;
  name: string;
  file: string;
  key: string;
}

/**
 * Plain-text secret values: `refuse` makes them config errors (plan, `pulumi up`); `declare` lets
 * the stack evaluate and hands them to the program, which declares them for the policy pack to
 * report (audit).
 */
export type PlainSecrets = "refuse" | "declare";

/** The secret values the config holds in plain text, located. */
function plainSecretsOf(config: LayeredConfig, stack: string): PlainSecret[] {
  const raw = config.values[SECRETS_KEY];
  const paths =
    config.plainSecrets ??
    (raw !== undefined && !config.secretKeys.includes(SECRETS_KEY) ? plainLeaves(raw, SECRETS_KEY) : []);
  const file = config.sources[SECRETS_KEY] ?? `Pulumi.${stack}.yaml`;
  return paths.map((key) => {
    const [app = "", name = ""] = key.slice(SECRETS_KEY.length + 1).split(".");
    return { app, name, file, key };
  });
}

function plainSecretIssue(secret: PlainSecret, stack: string): ConfigIssue {
  const command = secret.name
    ? `: run ${setSecretCommand(stack, secret.app, secret.name)} and commit the file`
    : "";
  return {
    file: secret.file,
    key: secret.key,
    message: `stored in plain text, readable by anyone with the repository; store it encrypted (secure:)${command}`,
  };
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
export function parsePlatformConfig(
  stack: string,
  config: LayeredConfig,
  options: { plainSecrets?: PlainSecrets } = {},
): PlatformConfig {
  const platform = validatePlatform(stack, config);
  const stored = storedSecrets(config);
  const plainSecrets = plainSecretsOf(config, stack);
  const declare = options.plainSecrets === "declare";
  const issues = [
    ...(declare ? [] : plainSecrets.map((secret) => plainSecretIssue(secret, stack))),
    ...secretIssues(config, platform, stack),
    ...secretValueIssues(platform, readableSecrets(stored)).map((i) => ({
      ...locate(config, i.path),
      message: i.message,
    })),
  ];
  if (issues.length > 0) throw new ConfigError(inStack(stack, issues));
  return {
    ...platform,
    stack: platform.environment.name,
    secrets: new SecretValues(stored),
    plainSecrets: declare ? plainSecrets : [],
  };
}
