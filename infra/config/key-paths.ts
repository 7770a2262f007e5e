import type { LayeredConfig } from "./pulumi-files";
import { PROJECT_NAME, stackFile } from "./pulumi-files";

export type KeyPath = ReadonlyArray<string | number>;

/** `["apps", "mapquiz", "services", "api", "memoryMb"]` → `apps.mapquiz.services.api.memoryMb`. */
export function joinPath(path: KeyPath): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part) ? part : JSON.stringify(part);
    return text ? `${text}.${safe}` : safe;
  }, "");
}

export function valueAt(root: unknown, path: KeyPath): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep-merges a stack's overrides onto the catalog: maps merge key by key, anything else replaces. */
export function mergeOverrides(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeOverrides(base[key], value);
  return out;
}

/** True when the value at `path` was set (or replaced wholesale) by the overrides. */
function overridden(overrides: unknown, path: KeyPath): boolean {
  let current = overrides;
  for (const part of path) {
    if (!isPlainObject(current)) return current !== undefined;
    if (!(part in current)) return false;
    current = current[part as string];
  }
  return true;
}

/**
 * Turns a path in the validated platform (`apps.mapquiz...`, `environment...`) back into the file
 * and config key a user has to edit. With `inStack`, the value belongs to the stack (it differs per
 * environment): the fix goes under the stack file's `launchpad:overrides`, set there or not.
 */
export function locate(
  config: LayeredConfig,
  path: KeyPath,
  inStack?: { stack: string },
): { file: string; key: string } {
  const [head, ...rest] = path;
  const fileOf = (key: string): string => config.sources[key] ?? "Pulumi.yaml";
  if (head === "apps") {
    const overridesKey = `${PROJECT_NAME}:overrides`;
    if (rest.length > 0 && (inStack || overridden(config.values[overridesKey], rest))) {
      const file = inStack ? stackFile(inStack.stack) : fileOf(overridesKey);
      return { file, key: `${overridesKey}.${joinPath(rest)}` };
    }
  }
  const key = `${PROJECT_NAME}:${String(head)}`;
  return { file: fileOf(key), key: rest.length > 0 ? `${key}.${joinPath(rest)}` : key };
}
