/**
 * CORS as data: which origins may read the app's responses, and the headers that grant one of them.
 * Responses never carry `Access-Control-Allow-Origin: *`; each allowed origin is granted by name.
 */

/** Methods a cross-origin caller may use. */
export const CORS_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";

/** Request headers a cross-origin caller may send. */
export const CORS_REQUEST_HEADERS = "Authorization,Content-Type";

/** The site's own origin first, then the catalog's extra origins, without duplicates. */
export function corsAllowList(siteOrigin: string, allowedOrigins: readonly string[]): string[] {
  const list = [...new Set([siteOrigin, ...allowedOrigins])];
  // The config loader refuses these; the check here keeps the invariant local to where headers are made.
  const bad = list.find((origin) => origin.includes("*") || !origin.startsWith("https://"));
  if (bad !== undefined) throw new Error(`CORS origin ${JSON.stringify(bad)} is not an exact https origin`);
  return list;
}

/** The response headers that grant exactly `origin` (with `Vary: Origin`, so caches keep origins apart). */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": CORS_METHODS,
    "Access-Control-Allow-Headers": CORS_REQUEST_HEADERS,
    "Access-Control-Allow-Credentials": "true",
    Vary: "Origin",
  };
}

/** A stable, name-safe label for an origin: `https://www.example.com` → `www-example-com`. */
export function originLabel(origin: string): string {
  return origin
    .replace(/^https:\/\//, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
