/**
 * Supabase project settings as dynamic providers on the Management API (no Supabase provider
 * exists on the registry). The token comes from SUPABASE_ACCESS_TOKEN at call time, never from
 * state. Deleting a resource leaves the project's settings as they are.
 */

export {
  SupabaseAuthConfig,
  supabaseAuthConfigProvider,
  type SupabaseAuthConfigInputs,
  type SupabaseAuthConfigOutputs,
} from "./auth-config";
export {
  SupabaseSslEnforcement,
  supabaseSslEnforcementProvider,
  type SupabaseSslEnforcementInputs,
} from "./ssl-enforcement";
export {
  SupabaseNetworkRestrictions,
  supabaseNetworkRestrictionsProvider,
  type SupabaseNetworkRestrictionsInputs,
  type SupabaseNetworkRestrictionsOutputs,
} from "./network-restrictions";
export {
  SupabasePostgrestConfig,
  supabasePostgrestConfigProvider,
  type SupabasePostgrestConfigInputs,
} from "./postgrest-config";
export {
  SupabaseBackups,
  supabaseBackupsProvider,
  type SupabaseBackupsInputs,
  type SupabaseBackupsOutputs,
} from "./backups";
export { management } from "./api";
export { isSupabaseApiError, type SupabaseApiError } from "./errors";
export { readSettings as readManagementSettings } from "./settings";
export { TYPE_MODULE } from "./provider-kit";

/** Any of the settings providers, for code that drives them alike. */
export type SupabaseProvider = import("@pulumi/pulumi").dynamic.ResourceProvider;
