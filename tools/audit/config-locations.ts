import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, LineCounter, parseDocument, type Node } from "yaml";
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

/** Parses each file once per report. */
function parser(dir: string): (file: string) => Parsed {
  const cache = new Map<string, Parsed>();
  return (file) => {
    if (!cache.has(file)) {
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) cache.set(file, undefined);
      else {
        const lines = new LineCounter();
        const doc = parseDocument(fs.readFileSync(full, "utf8"), { lineCounter: lines });
        cache.set(file, { contents: doc.contents, lines });
      }
    }
    return cache.get(file);
  };
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
  const parse = parser(projectDir);
  const stackFile = { file: `Pulumi.${stack}.yaml`, key: "launchpad:environment" };
  return (urn) => {
    let part: string | undefined;
    for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent)) {
      part = PART_KEYS[r.type] ?? part;
      if (r.type === "launchpad:index:App") {
        const keys = ["config", "launchpad:apps", "value", r.name, ...(part ? [part] : [])];
        const line = lineOf(parse("Pulumi.yaml"), keys);
        return {
          file: "Pulumi.yaml",
          key: `launchpad:apps.${r.name}${part ? `.${part}` : ""}`,
          ...(line ? { line } : {}),
        };
      }
    }
    const line = lineOf(parse(stackFile.file), ["config", stackFile.key]);
    return { ...stackFile, ...(line ? { line } : {}) };
  };
}
