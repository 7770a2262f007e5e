import * as pulumi from "@pulumi/pulumi";
import {
  SupabaseAuthConfig,
  SupabaseBackups,
  SupabaseNetworkRestrictions,
  SupabasePostgrestConfig,
  SupabaseSslEnforcement,
} from "../providers/supabase";
import type { SupabaseSettingsPlan } from "./supabase-plan";

export interface SupabaseArgs {
  /** What the project's settings must be, from `supabaseSettingsPlan` (config → inputs, pure). */
  plan: SupabaseSettingsPlan;
}

/**
 * The settings of an app's Supabase project in one environment, on the Management API: auth URLs
 * and sign-up switches, SSL enforcement, network restrictions, the Data API's exposed schemas, and
 * the backup status with PITR (read only). Deleting it leaves the project's settings as they are.
 */
export class Supabase extends pulumi.ComponentResource {
  /** The project ref the settings apply to. */
  readonly projectRef: string;
  /** Whether the project has point-in-time recovery, as last read. */
  readonly pitrEnabled: pulumi.Output<boolean>;

  constructor(name: string, args: SupabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:supabase:Project", name, {}, opts);
    const { plan } = args;
    const child = { parent: this };
    new SupabaseAuthConfig(`${name}-auth`, plan.auth, child);
    new SupabaseSslEnforcement(`${name}-ssl`, plan.ssl, child);
    new SupabaseNetworkRestrictions(`${name}-network`, plan.network, child);
    new SupabasePostgrestConfig(`${name}-postgrest`, plan.postgrest, child);
    const backups = new SupabaseBackups(`${name}-backups`, plan.backups, child);

    this.projectRef = plan.projectRef;
    this.pitrEnabled = backups.pitrEnabled;
    this.registerOutputs({ projectRef: this.projectRef, pitrEnabled: this.pitrEnabled });
  }
}
