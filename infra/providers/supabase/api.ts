/**
 * The typed Management API client the Supabase settings providers share: one function per
 * operation of the spec they use (operation ids in brackets). It holds no state; every call reads
 * SUPABASE_ACCESS_TOKEN and SUPABASE_API_* from the environment. Mutations are sent as
 * non-idempotent, so the core retries them on 429 only, never on a 5xx that may follow an apply.
 */

import { managementRequest } from "./http";
import type {
  AuthConfigFields,
  BackupsResponse,
  NetworkRestrictionsRequest,
  NetworkRestrictionsResponse,
  PostgrestConfig,
  SslEnforcementResponse,
  UpdateAuthConfigBody,
  UpdatePostgrestConfigBody,
} from "./types";

const enc = encodeURIComponent;
const base = (ref: string) => `/v1/projects/${enc(ref)}`;

function required<T>(body: T | undefined, what: string): T {
  if (body === undefined) throw new Error(`Supabase Management API answered ${what} with an empty body`);
  return body;
}

/** Only the managed auth fields: the rest of the response holds provider secrets and SMTP passwords. */
function pickAuthFields(body: Partial<AuthConfigFields>): AuthConfigFields {
  return {
    site_url: body.site_url ?? null,
    uri_allow_list: body.uri_allow_list ?? null,
    disable_signup: body.disable_signup ?? null,
    external_anonymous_users_enabled: body.external_anonymous_users_enabled ?? null,
  };
}

export const management = {
  /** [v1-get-auth-service-config] */
  async getAuthConfig(ref: string): Promise<AuthConfigFields> {
    const res = await managementRequest<Partial<AuthConfigFields>>({
      method: "GET",
      path: `${base(ref)}/config/auth`,
      resource: `auth config of project ${ref}`,
    });
    return pickAuthFields(required(res.body, "the auth config read"));
  },

  /** [v1-update-auth-service-config]: only the fields sent change. */
  async updateAuthConfig(ref: string, body: UpdateAuthConfigBody): Promise<AuthConfigFields> {
    const res = await managementRequest<Partial<AuthConfigFields>>({
      method: "PATCH",
      path: `${base(ref)}/config/auth`,
      body,
      resource: `auth config of project ${ref}`,
      idempotent: false,
    });
    return pickAuthFields(required(res.body, "the auth config update"));
  },

  /** [v1-get-ssl-enforcement-config] */
  async getSslEnforcement(ref: string): Promise<SslEnforcementResponse> {
    const res = await managementRequest<SslEnforcementResponse>({
      method: "GET",
      path: `${base(ref)}/ssl-enforcement`,
      resource: `SSL enforcement of project ${ref}`,
    });
    return required(res.body, "the SSL enforcement read");
  },

  /** [v1-update-ssl-enforcement-config] */
  async updateSslEnforcement(ref: string, database: boolean): Promise<SslEnforcementResponse> {
    const res = await managementRequest<SslEnforcementResponse>({
      method: "PUT",
      path: `${base(ref)}/ssl-enforcement`,
      body: { requestedConfig: { database } },
      resource: `SSL enforcement of project ${ref}`,
      idempotent: false,
    });
    return required(res.body, "the SSL enforcement update");
  },

  /** [v1-get-network-restrictions] */
  async getNetworkRestrictions(ref: string): Promise<NetworkRestrictionsResponse> {
    const res = await managementRequest<NetworkRestrictionsResponse>({
      method: "GET",
      path: `${base(ref)}/network-restrictions`,
      resource: `network restrictions of project ${ref}`,
    });
    return required(res.body, "the network restrictions read");
  },

  /**
   * [v1-update-network-restrictions]: replaces the whole allow-list (both families). The API stores
   * it and applies it in the background; `status` says which.
   */
  async applyNetworkRestrictions(
    ref: string,
    body: NetworkRestrictionsRequest,
  ): Promise<NetworkRestrictionsResponse> {
    const res = await managementRequest<NetworkRestrictionsResponse>({
      method: "POST",
      path: `${base(ref)}/network-restrictions/apply`,
      body,
      resource: `network restrictions of project ${ref}`,
      idempotent: false,
    });
    return required(res.body, "the network restrictions apply");
  },

  /** [v1-get-postgrest-service-config]; the JWT secret it also returns is dropped here. */
  async getPostgrestConfig(ref: string): Promise<PostgrestConfig> {
    const res = await managementRequest<PostgrestConfig & { jwt_secret?: string }>({
      method: "GET",
      path: `${base(ref)}/postgrest`,
      resource: `PostgREST config of project ${ref}`,
    });
    const { db_schema, max_rows, db_extra_search_path, db_pool } = required(res.body, "the PostgREST read");
    return { db_schema, max_rows, db_extra_search_path, db_pool };
  },

  /** [v1-update-postgrest-service-config] */
  async updatePostgrestConfig(ref: string, body: UpdatePostgrestConfigBody): Promise<PostgrestConfig> {
    const res = await managementRequest<PostgrestConfig>({
      method: "PATCH",
      path: `${base(ref)}/postgrest`,
      body,
      resource: `PostgREST config of project ${ref}`,
      idempotent: false,
    });
    const { db_schema, max_rows, db_extra_search_path, db_pool } = required(res.body, "the PostgREST update");
    return { db_schema, max_rows, db_extra_search_path, db_pool };
  },

  /** [v1-list-all-backups]: backup status and whether point-in-time recovery is on. */
  async listBackups(ref: string): Promise<BackupsResponse> {
    const res = await managementRequest<BackupsResponse>({
      method: "GET",
      path: `${base(ref)}/database/backups`,
      resource: `backups of project ${ref}`,
    });
    return required(res.body, "the backups read");
  },
};

export type ManagementClient = typeof management;
