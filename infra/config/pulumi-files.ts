import * as path from "node:path";
import { ConfigError, type ConfigIssue } from "./errors";
import { PROJECT_DIR, PROJECT_FILE, PROJECT_NAME, stackFile } from "./project";
import { parseYamlFile } from "./yaml-files";

export { PROJECT_DIR, PROJECT_FILE, PROJECT_NAME, stackFile };

/** Config as Pulumi hands it to a program: full key → value, plus which keys hold secrets. */
export interface LayeredConfig {
  values: Record<string, unknown>;
  /** Which file each key's value comes from (the stack file wins over the project file). */
  sources: Record<string, string>;
  /** Keys whose value is, or contains, a `secure:` value. */
  secretKeys: string[];
  /**
   * Full key paths (`launchpad:secrets.<app>.<NAME>`) of the secret values a file holds in plain
   * text rather than `secure:`. Absent: only `secretKeys` tells, key by key.
   */
  plainSecrets?: string[];
}

/** Where the secret values live: `launchpad:secrets.<app>.<NAME>`. */
const SECRET_VALUES_KEY = `${PROJECT_NAME}:secrets`;

/** Keys without a namespace belong to the project, as in `pulumi config`. */
export function qualifyKey(key: string): string {
  return key.includes(":") ? key : `${PROJECT_NAME}:${key}`;
}

function readYaml(file: string, dir: string): Record<string, unknown> {
  const parsed = parseYamlFile(path.join(dir, file));
  if (!parsed) {
    throw new ConfigError([{ file, key: "", message: `file not found in ${dir}` }]);
  }
  const { text, doc, lines } = parsed;
  if (doc.errors.length > 0) {
    // After a syntax error the parser resynchronises as best it can, and what follows is mostly
    // echoes of the first mistake: report that one, with its line. Duplicate keys are each real.
    const syntax = doc.errors.find((error) => error.code !== "DUPLICATE_KEY");
    throw new ConfigError(
      (syntax ? [syntax] : doc.errors).map((error) => {
        const at = lines.linePos(error.pos[0]);
        const where = `line ${at.line}, column ${at.col}`;
        if (error.code !== "DUPLICATE_KEY")
          return { file, key: where, message: error.message.split("\n")[0]! };
        const name = /^\s*("?)([^:"]+)\1\s*:/.exec(text.slice(error.pos[0]))?.[2];
        return { file, key: where, message: `key ${name ? `"${name}" ` : ""}is declared twice (duplicate)` };
      }),
    );
  }
  const data = doc.toJS() as unknown;
  return data && typeof data === "object" ? (data as Record<string, unknown>) : {};
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecure);
  if (value && typeof value === "object") return Object.values(value).some(containsSecure);
  return false;
}

/** Key paths of the leaves of `value` that are not `secure:` values. */
export function plainLeaves(value: unknown, keyPath: string): string[] {
  if (isSecure(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainLeaves(v, `${keyPath}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => plainLeaves(v, `${keyPath}.${k}`));
  return value === undefined || value === null ? [] : [keyPath];
}

/** Offline, a `secure:` value cannot be decrypted; this placeholder marks it (and stays secret). */
export function unreadableSecret(keyPath: string): string {
  return `[secret ${keyPath}]`;
}

export function isUnreadableSecret(value: string): boolean {
  return value.startsWith("[secret ") && value.endsWith("]");
}

/**
 * Replaces each `secure:` ciphertext. Offline the ciphertext cannot be decrypted, so a placeholder
 * stands in for it; the key stays marked secret.
 */
function standInSecure(value: unknown, keyPath: string): unknown {
  if (isSecure(value)) return unreadableSecret(keyPath);
  if (Array.isArray(value)) return value.map((v, i) => standInSecure(v, `${keyPath}[${i}]`));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, standInSecure(v, `${keyPath}.${k}`)]),
    );
  }
  return value;
}

function sectionOf(doc: Record<string, unknown>, file: string): Record<string, unknown> {
  const config = doc["config"];
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new ConfigError([{ file, key: "config", message: "expected a map of configuration keys" }]);
  }
  return config as Record<string, unknown>;
}

/**
 * Project-level config in Pulumi.yaml: `key: scalar` or `key: { value: ..., description: ... }`;
 * only keys that carry a value take part (typed declarations without one only document).
 */
function projectValues(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(sectionOf(doc, PROJECT_FILE))) {
    if (entry && typeof entry === "object" && !Array.isArray(entry)) {
      const declared = entry as Record<string, unknown>;
      if ("value" in declared) out[qualifyKey(key)] = declared["value"];
      else if ("default" in declared) out[qualifyKey(key)] = declared["default"];
    } else {
      out[qualifyKey(key)] = entry;
    }
  }
  return out;
}

/**
 * Layers the project's Pulumi.yaml and a stack's Pulumi.<stack>.yaml the way Pulumi does: key by key,
 * the stack's value replaces the project's (no deep merge).
 */
export function readLayeredConfig(stack: string, dir: string = PROJECT_DIR): LayeredConfig {
  const issues: ConfigIssue[] = [];
  const load = (file: string): Record<string, unknown> => {
    try {
      return readYaml(file, dir);
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
      return {};
    }
  };
  const projectDoc = load(PROJECT_FILE);
  const stackDoc = load(stackFile(stack));
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => ({ ...issue, stack })));

  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const secretKeys: string[] = [];
  let plainSecrets: string[] = [];
  for (const [key, value] of Object.entries(projectValues(projectDoc))) {
    values[key] = value;
    sources[key] = PROJECT_FILE;
    // Pulumi.yaml cannot hold `secure:` values: any secret value there is plain text.
    if (key === SECRET_VALUES_KEY) plainSecrets = plainLeaves(value, key);
  }
  for (const [rawKey, value] of Object.entries(sectionOf(stackDoc, stackFile(stack)))) {
    const key = qualifyKey(rawKey);
    values[key] = standInSecure(value, key);
    sources[key] = stackFile(stack);
    if (containsSecure(value)) secretKeys.push(key);
    if (key === SECRET_VALUES_KEY) plainSecrets = plainLeaves(value, key);
  }
  return { values, sources, secretKeys, plainSecrets };
}
