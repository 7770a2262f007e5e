import { createColors } from "picocolors";

/** The picocolors palette the renderers use; every function is the identity when colour is off. */
export type Palette = ReturnType<typeof createColors>;

/** How text reaches a reader: with colour or not, and how wide a line may be. */
export interface TextStyle {
  colors: Palette;
  /** Columns a line may take; undefined when the output is not a terminal of known width. */
  width?: number;
}

/** Plain text of unlimited width: files, pipes, JSON-like reports. */
export const PLAIN: TextStyle = { colors: createColors(false) };

/** What decides colour and width for one output stream. */
export interface StreamFacts {
  isTTY: boolean;
  /** The stream's width when it is a terminal. */
  columns?: number;
  env: Record<string, string | undefined>;
}

/**
 * Colour follows https://no-color.org and the FORCE_COLOR convention: NO_COLOR (non-empty) turns it
 * off; else FORCE_COLOR (non-empty, not "0" or "false") turns it on; else only a terminal that is not
 * `dumb` gets colour.
 */
export function colorEnabled(facts: StreamFacts): boolean {
  const noColor = facts.env["NO_COLOR"];
  if (noColor !== undefined && noColor !== "") return false;
  const force = facts.env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return facts.isTTY && facts.env["TERM"] !== "dumb";
}

/** The width a line may take: the terminal's, or `COLUMNS` when set; none for a pipe or a file. */
export function lineWidth(facts: StreamFacts): number | undefined {
  const fromEnv = Number.parseInt(facts.env["COLUMNS"] ?? "", 10);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return facts.isTTY && facts.columns !== undefined && facts.columns > 0 ? facts.columns : undefined;
}

export function styleFor(facts: StreamFacts): TextStyle {
  return { colors: createColors(colorEnabled(facts)), width: lineWidth(facts) };
}

/** A piece of a line and how to colour it. */
export type Segment = readonly [text: string, paint?: (text: string) => string];

/**
 * One line from segments, cut with `…` so it fits `width` (the cut is made before colouring, so no
 * escape sequence is split). Without a width the line is whole.
 */
export function fitLine(segments: readonly Segment[], width: number | undefined): string {
  let room = width ?? Number.POSITIVE_INFINITY;
  const out: string[] = [];
  const total = segments.reduce((n, [text]) => n + [...text].length, 0);
  const cut = total > room;
  if (cut) room -= 1;
  for (const [text, paint] of segments) {
    if (room <= 0) break;
    const chars = [...text];
    const shown = chars.length > room ? chars.slice(0, room).join("") : text;
    room -= Math.min(chars.length, room);
    out.push(paint && shown !== "" ? paint(shown) : shown);
  }
  return out.join("") + (cut ? "…" : "");
}

/**
 * Prose wrapped at word boundaries to fit `width`, each continuation line indented as given;
 * a word longer than a line stays whole. Without a width the text is one line.
 */
export function wrapText(
  text: string,
  width: number | undefined,
  indent: string,
  firstIndent = indent,
): string[] {
  if (width === undefined) return [`${firstIndent}${text}`];
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A resource's short name for tables: its logical name and the last part of its type,
 * `urn:…$vercel:index/project:Project::mapquiz-web` → `mapquiz-web [vercel:Project]`. JSON and SARIF
 * keep the whole URN.
 */
export function shortResourceName(urn: string): string {
  const at = urn.lastIndexOf("::");
  if (at < 0) return urn;
  const name = urn.slice(at + 2);
  const types = urn.slice(0, at).split("::").pop() ?? "";
  const type = types.split("$").pop() ?? "";
  return type ? `${name} [${shortType(type)}]` : name;
}

/** `vercel:index/project:Project` → `vercel:Project`; `pulumi-nodejs:dynamic/fly:Machine` → `fly:Machine`. */
export function shortType(type: string): string {
  const parts = type.split(":");
  const kind = parts[parts.length - 1] ?? type;
  const dynamic = /^pulumi-nodejs:dynamic\/([^:]+):/.exec(type);
  if (dynamic) return `${dynamic[1]}:${kind}`;
  return parts.length > 1 ? `${parts[0]}:${kind}` : type;
}
