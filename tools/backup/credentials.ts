/**
 * Where the backup commands find their credentials, checked before anything is recorded: the
 * database URL (a flag, else the app's admin URL variable), the Storage root (the stack's project
 * URL, else SUPABASE_STORAGE_BASE_URL) and the service key (SUPABASE_SERVICE_ROLE_KEY). Values are
 * never printed; problems name the variable.
 */

import { databaseUrlProblem } from "../../infra/config/rules";
import { BASE_URL_ENV, SERVICE_KEY_ENV } from "../../infra/providers/supabase/storage/settings";

export interface ResolvedDatabaseUrl {
  readonly url?: string;
  readonly problem?: string;
}

export function resolveDatabaseUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  envName: string,
  flagName = "--database-url",
): ResolvedDatabaseUrl {
  const url = flag ?? env[envName]?.trim();
  const source = flag !== undefined ? flagName : envName;
  if (!url) return { problem: `no database URL: pass ${flagName} or export ${envName}` };
  const problem = databaseUrlProblem(url);
  return problem ? { problem: `${source}: ${problem}` } : { url };
}

/** What is missing to reach Storage, if anything. */
export function storageProblem(
  env: NodeJS.ProcessEnv,
  projectUrl: string | undefined,
  stack: string,
): string | undefined {
  if (!env[SERVICE_KEY_ENV]?.trim())
    return `${SERVICE_KEY_ENV} is not set: export the project's service-role key`;
  if (!projectUrl && !env[BASE_URL_ENV]?.trim()) {
    return `no Storage URL: the ${stack} stack sets no database.supabaseUrl for the app; export ${BASE_URL_ENV}`;
  }
  return undefined;
}

/** Every secret the commands hold, to scrub from any text they print. */
export function secretsOf(env: NodeJS.ProcessEnv, ...urls: Array<string | undefined>): string[] {
  const secrets = [env[SERVICE_KEY_ENV]?.trim(), ...urls].filter((s): s is string => !!s);
  for (const url of urls) {
    try {
      const password = url ? new URL(url).password : "";
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // not a URL: the whole value is scrubbed already
    }
  }
  return secrets;
}

export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, secret) => t.split(secret).join("[redacted]"), text);
}
