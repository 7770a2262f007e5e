/**
 * The Supabase settings resources of a stack as the offline engine records them, built from the
 * stack's real catalog (every app with a Supabase project), beside each app's App component.
 */
import { supabaseSettingsPlan } from "../../../infra/components/supabase-plan";
import { SUPABASE } from "../../../policies/rules/lib/types";
import type { RecordedResource } from "../../../tools/engine/types";
import { platformOf } from "../../components/support";
import { appComponent, resource, type Stack } from "../support";

export interface SupabaseFixture {
  apps: RecordedResource[];
  settings: RecordedResource[];
  /** Apps with a Supabase project, by name: their App component and settings resources. */
  byApp: Map<
    string,
    { app: RecordedResource; auth: RecordedResource; ssl: RecordedResource; backups: RecordedResource }
  >;
}

export function supabaseFixture(stack: Stack, pitrEnabled?: boolean): SupabaseFixture {
  const platform = platformOf(stack);
  const apps: RecordedResource[] = [];
  const settings: RecordedResource[] = [];
  const byApp: SupabaseFixture["byApp"] = new Map();
  for (const [name, spec] of Object.entries(platform.apps)) {
    const app = appComponent(stack, name);
    apps.push(app);
    const plan = supabaseSettingsPlan(name, spec, platform.environment);
    if (!plan) continue;
    const at = { parent: app };
    const auth = resource(stack, SUPABASE.authConfig, `${name}-supabase-auth`, { ...plan.auth }, at);
    const ssl = resource(stack, SUPABASE.sslEnforcement, `${name}-supabase-ssl`, { ...plan.ssl }, at);
    const backups = resource(
      stack,
      SUPABASE.backups,
      `${name}-supabase-backups`,
      { ...plan.backups, ...(pitrEnabled === undefined ? {} : { pitrEnabled }) },
      at,
    );
    settings.push(auth, ssl, backups);
    byApp.set(name, { app, auth, ssl, backups });
  }
  return { apps, settings, byApp };
}

/** A fixture's resources with one replaced. */
export function replacing(
  f: SupabaseFixture,
  old: RecordedResource,
  by: RecordedResource,
): RecordedResource[] {
  return [...f.apps, ...f.settings.map((r) => (r === old ? by : r))];
}
