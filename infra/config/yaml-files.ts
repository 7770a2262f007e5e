import * as fs from "node:fs";
import { LineCounter, parseDocument, type Document } from "yaml";

/** A config file's YAML document, with the line counter that locates its nodes. Read-only. */
export interface YamlFile {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Enough for the project file and every stack file of a few projects. */
const KEPT = 32;
const parsed = new Map<string, YamlFile>();

/**
 * Parses a YAML file, or returns undefined when it does not exist. One evaluation reads the same
 * files several times (the engine, the program's error locator, the policies, the report) and every
 * stack reads Pulumi.yaml, whose catalog is the largest: a parse is kept while the file's text is
 * unchanged. The text is read each time, so an edited file is parsed afresh.
 */
export function parseYamlFile(full: string): YamlFile | undefined {
  if (!fs.existsSync(full)) return undefined;
  const text = fs.readFileSync(full, "utf8");
  const known = parsed.get(full);
  if (known?.text === text) return known;
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const file = { text, doc, lines };
  parsed.delete(full);
  parsed.set(full, file);
  if (parsed.size > KEPT) parsed.delete(parsed.keys().next().value!);
  return file;
}
