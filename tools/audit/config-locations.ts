import * as path from "node:path";
import { isMap, type LineCounter, type Node } from "yaml";
import { parseYamlFile } from "../../infra/config/yaml-files";
import type { RecordedResource } from "../engine/types";

/** Which catalog key of an app declares each kind of part component. */
const PART_KEYS: Record<string, string> = {
  "launchpad:vercel:Frontend": "frontend",
  "launchpad:github:Repository": "repository",
  "launchpad:discord:Alerts": "alerts",
  "launchpad:postgres:Database": "database",
  "launchpad:fly:Backend": "services",
};

type Parsed = { contents: unknown; lines: LineCounter } | undefined;

function parse(dir: string, file: string): Parsed {
  const parsed = parseYamlFile(path.join(dir, file));
  return parsed && { contents: parsed.doc.contents, lines: parsed.lines };
}

/** The line of a key path in a parsed YAML file (the deepest key of the path that exists). */
function lineOf(parsed: Parsed, keys: string[]): number | undefined {
  if (!parsed) return undefined;
  const { lines } = parsed;
  let node: unknown = parsed.contents;
  let line: number | undefined;
  for (const key of keys) {
    if (!isMap(node)) return line;
    const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    if (!pair) return line;
    const range = (pair.key as Node).range;
    if (range) line = lines.linePos(range[0]).line;
    node = pair.value;
  }
  return line;
}

/**
 * Locates findings in the config a person edits: the app (and part) that declares the resource,
 * in the catalog of Pulumi.yaml; stack-level findings, in the stack file.
 */
export function locator(
  stack: string,
  resources: readonly RecordedResource[],
  projectDir: string,
): (urn: string) => { file: string; key: string; line?: number } {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stackFile = { file: `Pulumi.${stack}.yaml`, key: "launchpad:environment" };
  return (urn) => {
    let part: string | undefined;
    for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent)) {
      part = PART_KEYS[r.type] ?? part;
      if (r.type === "launchpad:index:App") {
        const keys = ["config", "launchpad:apps", "value", r.name, ...(part ? [part] : [])];
        const line = lineOf(parse(projectDir, "Pulumi.yaml"), keys);
        return {
          file: "Pulumi.yaml",
          key: `launchpad:apps.${r.name}${part ? `.${part}` : ""}`,
          ...(line ? { line } : {}),
        };
      }
    }
    const line = lineOf(parse(projectDir, stackFile.file), ["config", stackFile.key]);
    return { ...stackFile, ...(line ? { line } : {}) };
  };
}
