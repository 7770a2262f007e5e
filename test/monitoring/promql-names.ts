/** The metric names a PromQL expression selects, read without a PromQL engine. */

/** Words of PromQL that are neither metric names nor functions. */
const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
]);

/**
 * Every metric name `expr` selects: a name before a `{…}` matcher, or a bare identifier that is not a
 * function call, an aggregation's label list, a keyword or a number.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values and string arguments
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ") // label lists
    .replace(/\[[^\]]*\]/g, " ") // range and subquery windows
    .replace(/\{[^}]*\}/g, " "); // label matchers
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(match.index + match[0].length);
    if (/^\s*\(/.test(rest) || KEYWORDS.has(match[0])) continue;
    // The `e` of a number such as 1e3 is not a name.
    if (/[0-9.]$/.test(stripped.slice(0, match.index))) continue;
    names.add(match[0]);
  }
  return [...names].sort();
}
