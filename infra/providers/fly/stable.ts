/** Canonical JSON and digests, used to compare desired and live state without storing values. */

/** JSON with object keys sorted and undefined fields dropped, so equal data compares equal. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function sha256Hex(text: string): string {
  // Required here rather than imported: dynamic providers are serialized function by function.
  const crypto: typeof import("node:crypto") = require("node:crypto");
  return crypto.createHash("sha256").update(text).digest("hex");
}

/**
 * Digest of one secret value, salted with the app and secret name so equal values in different
 * places do not share a digest and precomputed tables are useless.
 */
export function secretDigest(app: string, name: string, value: string): string {
  return `sha256:${sha256Hex(`launchpad-fly-secret\0${app}\0${name}\0${value}`)}`;
}
