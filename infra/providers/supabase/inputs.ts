/**
 * Pure rules on the values the Supabase settings take, shared by the config validation (errors
 * that name the key) and the providers' `check` (the last line of defence on `pulumi up`).
 */

/** A project ref, as the spec's `ref` path parameter declares it: 20 lowercase letters. */
export const PROJECT_REF = /^[a-z]{20}$/;

/** Hosts of Supabase's own API domains, whose first label is the project ref. */
const SUPABASE_HOSTS = /^([a-z]{20})\.supabase\.(co|in)$/;

/** The ref in a project URL such as `https://abcdefghijklmnopqrst.supabase.co`; undefined for a custom domain. */
export function projectRefFromUrl(url: string): string | undefined {
  try {
    return SUPABASE_HOSTS.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** Whether `host` is one of `domains` or a subdomain of one. */
export function isOwnHost(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

/**
 * Why a URL is not an https URL on one of the app's own domains, or undefined when it is. Wildcards,
 * credentials, a port other than 443 and any other scheme are refused: a redirect URL is where
 * Supabase sends a user's tokens.
 */
export function ownHttpsUrlProblem(url: string, domains: readonly string[]): string | undefined {
  if (url.includes("*")) return `"${url}" has a wildcard; list each exact URL`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== "https:") return `"${url}" is not https`;
  if (parsed.username || parsed.password) return `"${url}" carries credentials`;
  if (parsed.port !== "") return `"${url}" names a port; only https on 443 is allowed`;
  if (!isOwnHost(parsed.hostname, domains)) {
    return `"${url}" is on ${parsed.hostname}, not on the app's own domain (${domains.join(", ")})`;
  }
  return undefined;
}

export type CidrFamily = "v4" | "v6";

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function isIpv6(text: string): boolean {
  if (!/^[0-9a-f:]+$/i.test(text)) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === "" ? [] : h.split(":")));
  if (groups.some((g) => g.some((x) => !/^[0-9a-f]{1,4}$/i.test(x)))) return false;
  const count = groups.reduce((n, g) => n + g.length, 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** The family of a CIDR such as `203.0.113.0/24` or `2001:db8::/32`; undefined when it is not one. */
export function cidrFamily(cidr: string): CidrFamily | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (ipv4Bytes(m[1])) return prefix <= 32 ? "v4" : undefined;
  if (isIpv6(m[1])) return prefix <= 128 ? "v6" : undefined;
  return undefined;
}

/** Everyone: what a project allows when nothing restricts it. */
export const UNRESTRICTED = { v4: ["0.0.0.0/0"], v6: ["::/0"] } as const;

/** CIDRs split by family, each list sorted and without duplicates (the API's two lists). */
export function cidrsByFamily(cidrs: readonly string[]): { v4: string[]; v6: string[] } {
  const sorted = (family: CidrFamily) => [...new Set(cidrs.filter((c) => cidrFamily(c) === family))].sort();
  return { v4: sorted("v4"), v6: sorted("v6") };
}

/** `public, graphql_public` → `["public", "graphql_public"]`: PostgREST's `db_schema` as a list. */
export function schemaList(dbSchema: string): string[] {
  return dbSchema
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The comma-separated `uri_allow_list` as a sorted list. */
export function uriList(text: string | null | undefined): string[] {
  return [
    ...new Set(
      (text ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  ].sort();
}

/** What a database declares about its Supabase project (structurally, so the config need not be imported). */
export interface SupabaseProjectSource {
  flavor: string;
  supabaseUrl?: string;
  supabase?: { projectRef?: string };
}

/**
 * The project ref of an app's Supabase database in a stack: declared, or derived from the project
 * URL; undefined when the database is not a Supabase project or the ref cannot be known.
 */
export function projectRefOf(database: SupabaseProjectSource | undefined): string | undefined {
  if (!database || database.flavor !== "supabase") return undefined;
  return (
    database.supabase?.projectRef ??
    (database.supabaseUrl ? projectRefFromUrl(database.supabaseUrl) : undefined)
  );
}
