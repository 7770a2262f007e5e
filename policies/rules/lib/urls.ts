/** URLs in properties: which are plain http to somewhere outside the private network. */

/** Hosts that never leave the machine or Fly's private network. */
const PRIVATE_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[^/:]+\.(internal|flycast|local))$/i;

function hostOf(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\//i, "");
  const authority = rest.split(/[/?#]/)[0] ?? "";
  const host = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
}

/** A plain `http://` URL to a public host (private-network and loopback URLs are fine). */
export function isInsecureUrl(value: unknown): boolean {
  if (typeof value !== "string" || !/^http:\/\//i.test(value.trim())) return false;
  return !PRIVATE_HOST.test(hostOf(value.trim()));
}

export function isHttpsUrl(value: unknown): boolean {
  return typeof value === "string" && /^https:\/\/[^/\s]+/i.test(value.trim());
}
