import type { AppSpec, EnvironmentProfile } from "../config";
import { siteHostname, siteUrl } from "../naming";
import type { SupabaseAuthConfigInputs } from "../providers/supabase/auth-config";
import type { SupabaseBackupsInputs } from "../providers/supabase/backups";
import { cidrsByFamily, projectRefOf, UNRESTRICTED } from "../providers/supabase/inputs";
import type { SupabaseNetworkRestrictionsInputs } from "../providers/supabase/network-restrictions";
import type { SupabasePostgrestConfigInputs } from "../providers/supabase/postgrest-config";
import type { SupabaseSslEnforcementInputs } from "../providers/supabase/ssl-enforcement";

/** The inputs of every settings resource of one app's Supabase project in one environment. */
export interface SupabaseSettingsPlan {
  projectRef: string;
  auth: SupabaseAuthConfigInputs;
  ssl: SupabaseSslEnforcementInputs;
  network: SupabaseNetworkRestrictionsInputs;
  postgrest: SupabasePostgrestConfigInputs;
  backups: SupabaseBackupsInputs;
}

/** The allow-list as the provider keeps it (both families, sorted); everyone when none is declared. */
function allowedCidrs(declared: readonly string[] | undefined): string[] {
  const { v4, v6 } = cidrsByFamily(declared ?? [...UNRESTRICTED.v4, ...UNRESTRICTED.v6]);
  return [...v4, ...v6].sort();
}

/**
 * What an app's Supabase project must be set to in an environment, or undefined when the app has no
 * Supabase project there. Auth URLs are on the app's site in this environment (its own domain in
 * prod, its hostname under the base domain elsewhere); SSL enforcement is always on.
 */
export function supabaseSettingsPlan(
  app: string,
  spec: AppSpec,
  environment: EnvironmentProfile,
): SupabaseSettingsPlan | undefined {
  const database = spec.database;
  const projectRef = projectRefOf(database);
  if (!database || !projectRef) return undefined;
  const { auth, network, api } = database.supabase;
  const site = siteUrl(app, spec, environment);
  const redirectUrls = [
    ...new Set([...auth.redirectPaths.map((p) => `${site}${p}`), ...auth.redirectUrls]),
  ].sort();
  return {
    projectRef,
    auth: {
      projectRef,
      siteUrl: auth.siteUrl ?? site,
      redirectUrls,
      allowedDomains: [siteHostname(app, spec, environment)],
      signupsEnabled: auth.signups,
      anonymousSignInsEnabled: auth.anonymousSignIns,
    },
    ssl: { projectRef, enforced: true },
    network: { projectRef, allowedCidrs: allowedCidrs(network.allowedCidrs) },
    postgrest: { projectRef, schemas: api.schemas, maxRows: api.maxRows },
    backups: { projectRef, pitrRequired: database.backups.pointInTimeRecovery },
  };
}
