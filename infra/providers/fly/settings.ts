/**
 * Fly's connection and pacing settings, read from the environment at call time (`FLY_API_*`).
 * Nothing here is cached: a dynamic provider is serialized into state, so a captured token would
 * be stored.
 */

import { intFromEnv, readEnvToken, readRestSettings, type RestSettings } from "../http/settings";

export interface FlySettings extends RestSettings {
  /** Pause between two polls of a machine's health checks. */
  readonly pollIntervalMs: number;
}

export const DEFAULT_BASE_URL = "https://api.machines.dev";

export function readSettings(env: NodeJS.ProcessEnv = process.env): FlySettings {
  return {
    ...readRestSettings(env, "FLY_API_", DEFAULT_BASE_URL),
    pollIntervalMs: intFromEnv(env, "FLY_POLL_INTERVAL_MS", 1_000),
  };
}

/** The API token; an error that names the variable (never a value) when it is missing. */
export function readToken(env: NodeJS.ProcessEnv = process.env): string {
  return readEnvToken(env, "FLY_API_TOKEN", "a Fly.io API token to manage Fly resources");
}
