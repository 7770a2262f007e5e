/**
 * The fake's projects: each with the settings the Management API exposes, in the shapes the spec
 * documents, starting from what a new Supabase project has.
 */

import { loadSpec } from "./spec";

export interface FakeNetwork {
  entitlement: "allowed" | "disallowed";
  config: { dbAllowedCidrs?: string[]; dbAllowedCidrsV6?: string[] };
  old_config?: { dbAllowedCidrs?: string[]; dbAllowedCidrsV6?: string[] };
  /** Reads left before a stored config counts as applied (a slow apply). */
  pendingReads: number;
  updated_at?: string;
  applied_at?: string;
}

export interface FakeProject {
  ref: string;
  /** Every field of the spec's AuthConfigResponse. */
  auth: Record<string, unknown>;
  ssl: { database: boolean; requested: boolean; pendingReads: number };
  network: FakeNetwork;
  postgrest: {
    db_schema: string;
    max_rows: number;
    db_extra_search_path: string;
    db_pool: number | null;
    jwt_secret: string;
  };
  backups: {
    region: string;
    walg_enabled: boolean;
    pitr_enabled: boolean;
    backups: Array<{ id: number; is_physical_backup: boolean; status: "COMPLETED"; inserted_at: string }>;
  };
}

export interface ProjectOptions {
  /** Whether the plan includes network restrictions (default true). */
  networkRestrictions?: boolean;
  /** Point-in-time recovery add-on (default false). */
  pitr?: boolean;
}

/** Secrets a real auth config holds; tests check none of them ever leaves the client. */
export const AUTH_SECRETS = {
  smtp_pass: "fake-smtp-password-7f3a",
  external_google_secret: "fake-google-oauth-secret-91c2",
  security_captcha_secret: "fake-captcha-secret-40be",
} as const;

export const JWT_SECRET = "fake-postgrest-jwt-secret-5d7e9a";

/** A new project's auth config: every documented field, null where the spec allows it. */
function defaultAuthConfig(): Record<string, unknown> {
  const schema = loadSpec().components.schemas.AuthConfigResponse as {
    properties: Record<string, { type?: string; nullable?: boolean; enum?: unknown[] }>;
  };
  const auth: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    // Ajv reads an enum without null as excluding it, nullable or not: such fields take their first value.
    auth[key] = prop.enum
      ? prop.enum[0]
      : prop.nullable
        ? null
        : prop.type === "boolean"
          ? false
          : prop.type === "string"
            ? ""
            : 0;
  }
  return {
    ...auth,
    site_url: "http://localhost:3000",
    uri_allow_list: "",
    disable_signup: false,
    external_anonymous_users_enabled: false,
    mailer_otp_exp: 3600,
    ...AUTH_SECRETS,
  };
}

export class FakeStore {
  readonly projects = new Map<string, FakeProject>();
  private clock = Date.UTC(2026, 0, 1);

  /** The fake's clock, advanced one second per request, as ISO text. */
  now(): string {
    return new Date(this.clock).toISOString();
  }

  tick(): void {
    this.clock += 1000;
  }

  addProject(ref: string, options: ProjectOptions = {}): FakeProject {
    const project: FakeProject = {
      ref,
      auth: defaultAuthConfig(),
      ssl: { database: false, requested: false, pendingReads: 0 },
      network: {
        entitlement: options.networkRestrictions === false ? "disallowed" : "allowed",
        config: {},
        pendingReads: 0,
      },
      postgrest: {
        db_schema: "public,graphql_public",
        max_rows: 1000,
        db_extra_search_path: "public,extensions",
        db_pool: null,
        jwt_secret: JWT_SECRET,
      },
      backups: {
        region: "eu-west-3",
        walg_enabled: true,
        pitr_enabled: options.pitr ?? false,
        backups: [
          { id: 1, is_physical_backup: true, status: "COMPLETED", inserted_at: "2025-12-30T02:00:00.000Z" },
          { id: 2, is_physical_backup: true, status: "COMPLETED", inserted_at: "2025-12-31T02:00:00.000Z" },
        ],
      },
    };
    this.projects.set(ref, project);
    return project;
  }
}
