/**
 * Connection strings of an app database: the admin URL from the stack's secrets, taken apart for the
 * postgresql provider, and the URLs of the roles the stack creates on the same server.
 */

/** sslmode values that require TLS, weakest first. */
const TLS_MODES = ["require", "verify-ca", "verify-full"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface AdminConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  /** At least `require`: the admin URL's own mode when it is stricter. */
  readonly sslmode: TlsMode;
}

/** The stricter of the URL's sslmode and `require`. */
export function tlsModeOf(url: URL): TlsMode {
  const mode = url.searchParams.get("sslmode");
  return (TLS_MODES as readonly string[]).includes(mode ?? "") ? (mode as TlsMode) : "require";
}

/**
 * Takes the admin URL apart. Errors name the secret's config key, never the value. The loader has
 * already checked a readable value; this guards the values only known at deploy time.
 */
export function parseAdminUrl(value: string, secretKey: string): AdminConnection {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `${secretKey}: expected a postgresql://user:password@host/database URL (value not shown)`,
    );
  }
  if ((url.protocol !== "postgresql:" && url.protocol !== "postgres:") || !url.hostname || !url.username) {
    throw new Error(
      `${secretKey}: expected a postgresql://user:password@host/database URL (value not shown)`,
    );
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sslmode: tlsModeOf(url),
  };
}

/**
 * The URL of another role on the admin URL's server and database. With `minimumTls`, the sslmode is
 * at least that (a deployed stack always requires TLS); without, the base URL's parameters are kept
 * (a rehearsal server on loopback).
 */
export function roleUrl(base: string, user: string, password: string, minimumTls?: "require"): string {
  const url = new URL(base);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  if (minimumTls) url.searchParams.set("sslmode", tlsModeOf(url));
  return url.toString();
}
