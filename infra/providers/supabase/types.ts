/**
 * The Management API shapes the providers use, transcribed from the public spec (Supabase API v1,
 * `test/fakes/supabase-management/supabase-management-openapi.json`; schema names in brackets).
 */

/** The auth settings launchpad manages, out of the 237 fields of [AuthConfigResponse]. */
export interface AuthConfigFields {
  site_url: string | null;
  /** Comma-separated redirect URLs. */
  uri_allow_list: string | null;
  disable_signup: boolean | null;
  external_anonymous_users_enabled: boolean | null;
}

/** [UpdateAuthConfigBody], restricted to the managed fields. */
export type UpdateAuthConfigBody = Partial<AuthConfigFields>;

/** [SslEnforcementRequest] */
export interface SslEnforcementRequest {
  requestedConfig: { database: boolean };
}

/** [SslEnforcementResponse] */
export interface SslEnforcementResponse {
  currentConfig: { database: boolean };
  appliedSuccessfully: boolean;
}

/** [NetworkRestrictionsRequest]: the whole allow-list, one list per address family. */
export interface NetworkRestrictionsRequest {
  dbAllowedCidrs?: string[];
  dbAllowedCidrsV6?: string[];
}

/** [NetworkRestrictionsResponse] */
export interface NetworkRestrictionsResponse {
  entitlement: "disallowed" | "allowed";
  config: NetworkRestrictionsRequest;
  old_config?: NetworkRestrictionsRequest;
  status: "stored" | "applied";
  updated_at?: string;
  applied_at?: string;
}

/** [V1UpdatePostgrestConfigBody] */
export interface UpdatePostgrestConfigBody {
  db_schema?: string;
  max_rows?: number;
  db_extra_search_path?: string;
  db_pool?: number;
}

/** [V1PostgrestConfigResponse]; the GET adds `jwt_secret`, which the client drops on arrival. */
export interface PostgrestConfig {
  db_schema: string;
  max_rows: number;
  db_extra_search_path: string;
  db_pool: number | null;
}

/** [V1BackupsResponse] */
export interface BackupsResponse {
  region: string;
  walg_enabled: boolean;
  pitr_enabled: boolean;
  backups: Array<{
    id: number;
    is_physical_backup: boolean;
    status: "COMPLETED" | "FAILED" | "PENDING" | "REMOVED" | "ARCHIVED" | "CANCELLED";
    inserted_at: string;
  }>;
  physical_backup_data: {
    earliest_physical_backup_date_unix?: number;
    latest_physical_backup_date_unix?: number;
  };
}
