/** Vercel routing rules: the response headers a `ProjectRoute` sets. */
import { isRecord, list, record, text, type Props } from "./values";

export interface HeaderView {
  name: string;
  value: string;
}

/** Transforms carry JSON in strings (`target: {"key": …}`, `args: "…"`); plain strings pass as-is. */
function decode(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Headers a route sets on responses, from its `headers` map and its `response.headers` transforms. */
export function responseHeaders(props: Props): HeaderView[] {
  const route = record(props["route"]);
  if (!route) return [];
  const fromMap = Object.entries(record(route["headers"]) ?? {}).flatMap(([name, value]) =>
    typeof value === "string" ? [{ name, value }] : [],
  );
  const fromTransforms = list(route["transforms"])
    .filter(isRecord)
    .filter((t) => t["type"] === "response.headers" && (t["op"] === "set" || t["op"] === "append"))
    .flatMap((t) => {
      const target = decode(text(t["target"]));
      const name = isRecord(target) ? text(target["key"]) : text(target);
      const value = decode(text(t["args"]));
      return name !== undefined && typeof value === "string" ? [{ name, value }] : [];
    });
  return [...fromMap, ...fromTransforms];
}

export function headerNamed(headers: readonly HeaderView[], name: string): HeaderView[] {
  return headers.filter((h) => h.name.toLowerCase() === name.toLowerCase());
}
