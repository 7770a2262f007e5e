/**
 * Connection and pacing settings of a REST API, read from the environment at call time under the
 * API's own prefix (`FLY_API_`, `SUPABASE_API_`, …). Nothing is cached: a dynamic provider is
 * serialized into state, so a captured token or setting would be stored there.
 */

export interface RestSettings {
  /** API root, without a trailing slash. */
  readonly baseUrl: string;
  /** Retries after the first attempt, for retryable failures. */
  readonly maxRetries: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  readonly retryBaseMs: number;
  /** Upper bound of any single wait between attempts, including a server's Retry-After. */
  readonly retryMaxMs: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
}

export function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${key} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/**
 * `<prefix>BASE_URL`, `<prefix>MAX_RETRIES`, `<prefix>RETRY_BASE_MS`, `<prefix>RETRY_MAX_MS` and
 * `<prefix>TIMEOUT_MS`, each falling back to the production default.
 */
export function readRestSettings(
  env: NodeJS.ProcessEnv,
  prefix: string,
  defaultBaseUrl: string,
): RestSettings {
  return {
    baseUrl: (env[`${prefix}BASE_URL`]?.trim() || defaultBaseUrl).replace(/\/+$/, ""),
    maxRetries: intFromEnv(env, `${prefix}MAX_RETRIES`, 5),
    retryBaseMs: intFromEnv(env, `${prefix}RETRY_BASE_MS`, 500),
    retryMaxMs: intFromEnv(env, `${prefix}RETRY_MAX_MS`, 30_000),
    timeoutMs: intFromEnv(env, `${prefix}TIMEOUT_MS`, 60_000),
  };
}

/** A credential from the environment; an error that names the variable (never a value) when missing. */
export function readEnvToken(env: NodeJS.ProcessEnv, key: string, purpose: string): string {
  const token = env[key]?.trim();
  if (!token) throw new Error(`${key} is not set: export ${purpose}`);
  return token;
}
