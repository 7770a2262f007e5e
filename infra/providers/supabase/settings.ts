/**
 * The Management API's connection and pacing settings, read from the environment at call time
 * (`SUPABASE_API_*`), and its token (`SUPABASE_ACCESS_TOKEN`). Nothing here is cached: a dynamic
 * provider is serialized into state, so a captured token would be stored.
 */

import { intFromEnv, readEnvToken, readRestSettings, type RestSettings } from "../http/settings";

export interface SupabaseSettings extends RestSettings {
  /** Pause between two reads of a setting the API applies in the background. */
  readonly pollIntervalMs: number;
  /** How long a background apply may take before the call fails. */
  readonly applyTimeoutMs: number;
}

export const DEFAULT_BASE_URL = "https://api.supabase.com";

export function readSettings(env: NodeJS.ProcessEnv = process.env): SupabaseSettings {
  return {
    ...readRestSettings(env, "SUPABASE_API_", DEFAULT_BASE_URL),
    pollIntervalMs: intFromEnv(env, "SUPABASE_API_POLL_INTERVAL_MS", 2_000),
    applyTimeoutMs: intFromEnv(env, "SUPABASE_API_APPLY_TIMEOUT_MS", 300_000),
  };
}

/** The personal or organization access token; an error naming the variable (never a value) when missing. */
export function readToken(env: NodeJS.ProcessEnv = process.env): string {
  return readEnvToken(
    env,
    "SUPABASE_ACCESS_TOKEN",
    "a Supabase access token (dashboard → Account → Access Tokens) to manage project settings",
  );
}
