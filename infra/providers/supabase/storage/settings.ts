/**
 * Storage's connection settings and service key, read from the environment at call time
 * (`SUPABASE_STORAGE_*`, `SUPABASE_SERVICE_ROLE_KEY`). Nothing is cached, so no key outlives a call.
 */

import { readEnvToken, readRestSettings, type RestSettings } from "../../http/settings";

/** The variable holding the project's service-role key (the CI secret of the same name). */
export const SERVICE_KEY_ENV = "SUPABASE_SERVICE_ROLE_KEY";

/** Overrides the Storage root derived from the project URL (a self-hosted or local Storage). */
export const BASE_URL_ENV = "SUPABASE_STORAGE_BASE_URL";

/** Storage is served under the project's URL at `/storage/v1`. */
export function storageRootOf(projectUrl: string): string {
  return `${projectUrl.replace(/\/+$/, "")}/storage/v1`;
}

/** `SUPABASE_STORAGE_BASE_URL`, `…_MAX_RETRIES`, `…_RETRY_BASE_MS`, `…_RETRY_MAX_MS`, `…_TIMEOUT_MS`. */
export function readStorageSettings(env: NodeJS.ProcessEnv, projectUrl: string | undefined): RestSettings {
  const fallback = projectUrl ? storageRootOf(projectUrl) : "";
  const settings = readRestSettings(env, "SUPABASE_STORAGE_", fallback);
  if (!settings.baseUrl) {
    throw new Error(`no Storage URL: set database.supabaseUrl for the stack, or export ${BASE_URL_ENV}`);
  }
  return settings;
}

export function readServiceKey(env: NodeJS.ProcessEnv): string {
  return readEnvToken(env, SERVICE_KEY_ENV, "the project's service-role key to reach its Storage");
}
