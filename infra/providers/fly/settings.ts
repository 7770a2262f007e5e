/**
 * Connection and pacing settings, read from the environment at call time. Nothing here is
 * cached: a dynamic provider is serialized into state, so a captured token would be stored.
 */

export interface FlySettings {
  /** Machines API root, without a trailing slash. */
  readonly baseUrl: string;
  /** Retries after the first attempt, for retryable failures. */
  readonly maxRetries: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  readonly retryBaseMs: number;
  /** Upper bound of any single wait between attempts, including a server's Retry-After. */
  readonly retryMaxMs: number;
  /** Per-request timeout (a `wait` call adds its own server-side timeout on top). */
  readonly timeoutMs: number;
  /** Pause between two polls of a machine's health checks. */
  readonly pollIntervalMs: number;
}

export const DEFAULT_BASE_URL = "https://api.machines.dev";

function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${key} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): FlySettings {
  const baseUrl = (env.FLY_API_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, "");
  return {
    baseUrl,
    maxRetries: intFromEnv(env, "FLY_API_MAX_RETRIES", 5),
    retryBaseMs: intFromEnv(env, "FLY_API_RETRY_BASE_MS", 500),
    retryMaxMs: intFromEnv(env, "FLY_API_RETRY_MAX_MS", 30_000),
    timeoutMs: intFromEnv(env, "FLY_API_TIMEOUT_MS", 60_000),
    pollIntervalMs: intFromEnv(env, "FLY_POLL_INTERVAL_MS", 1_000),
  };
}

/** The API token; an error that names the variable (never a value) when it is missing. */
export function readToken(env: NodeJS.ProcessEnv = process.env): string {
  const token = env.FLY_API_TOKEN?.trim();
  if (!token) throw new Error("FLY_API_TOKEN is not set: export a Fly.io API token to manage Fly resources");
  return token;
}
