import { beforeAll, describe, expect, it } from "vitest";
import { supabaseSettingsPlan } from "../../infra/components/supabase-plan";
import { siteHostname, siteUrl } from "../../infra/naming";
import { projectRefOf } from "../../infra/providers/supabase/inputs";
import type { StackEvaluation } from "../../tools/engine/types";
import { childrenOf, evaluateAll, one, platformOf, type Stack, STACKS, T } from "./support";

const PROJECT = "launchpad:supabase:Project";
const SETTINGS = {
  auth: "pulumi-nodejs:dynamic/supabase:AuthConfig",
  ssl: "pulumi-nodejs:dynamic/supabase:SslEnforcement",
  network: "pulumi-nodejs:dynamic/supabase:NetworkRestrictions",
  postgrest: "pulumi-nodejs:dynamic/supabase:PostgrestConfig",
  backups: "pulumi-nodejs:dynamic/supabase:Backups",
} as const;

describe("each Supabase app's project settings in the offline plan", () => {
  let stacks: Record<Stack, StackEvaluation>;
  beforeAll(async () => {
    stacks = await evaluateAll();
  }, 120_000);

  it("declares the five settings resources under the app, for every Supabase app of every stack", () => {
    for (const stack of STACKS) {
      const platform = platformOf(stack);
      const supabaseApps = Object.entries(platform.apps).filter(([, spec]) => projectRefOf(spec.database));
      expect(supabaseApps.length).toBeGreaterThan(0);
      for (const [app, spec] of Object.entries(platform.apps)) {
        const appResource = one(stacks[stack], T.app, app);
        const components = childrenOf(stacks[stack], appResource).filter((r) => r.type === PROJECT);
        if (!projectRefOf(spec.database)) {
          expect(components).toEqual([]);
          continue;
        }
        expect(components.map((c) => c.name)).toEqual([`${app}-supabase`]);
        const children = childrenOf(stacks[stack], components[0]!);
        expect(children.map((c) => c.type).sort()).toEqual(Object.values(SETTINGS).sort());
        for (const child of children) {
          expect(child.name.startsWith(`${app}-supabase-`)).toBe(true);
          expect(child.inputs["projectRef"]).toBe(projectRefOf(spec.database));
          // Nothing here is a secret, and no credential is an input.
          expect(child.secretInputs).toEqual([]);
          expect(JSON.stringify(child.inputs)).not.toMatch(/token|sbp_|jwt_secret/i);
        }
      }
    }
  });

  it("points auth at the app's own site in each environment, https only, and turns SSL enforcement on", () => {
    for (const stack of STACKS) {
      const platform = platformOf(stack);
      for (const [app, spec] of Object.entries(platform.apps)) {
        if (!projectRefOf(spec.database)) continue;
        const site = siteUrl(app, spec, platform.environment);
        const auth = one(stacks[stack], SETTINGS.auth, `${app}-supabase-auth`).inputs;
        expect(auth["siteUrl"]).toBe(site);
        expect(auth["redirectUrls"]).toEqual(
          expect.arrayContaining([`${site}/auth/callback`, `${site}/auth/confirm`]),
        );
        expect(auth["allowedDomains"]).toEqual([siteHostname(app, spec, platform.environment)]);
        for (const url of auth["redirectUrls"] as string[]) expect(url.startsWith(`${site}/`)).toBe(true);
        expect(auth["signupsEnabled"]).toBe(spec.database!.supabase.auth.signups);
        expect(auth["anonymousSignInsEnabled"]).toBe(spec.database!.supabase.auth.anonymousSignIns);
        expect(one(stacks[stack], SETTINGS.ssl, `${app}-supabase-ssl`).inputs["enforced"]).toBe(true);
        // The whole resource set is the pure plan of the config, nothing added on the way.
        const plan = supabaseSettingsPlan(app, spec, platform.environment)!;
        expect(
          one(stacks[stack], SETTINGS.network, `${app}-supabase-network`).inputs["allowedCidrs"],
        ).toEqual(plan.network.allowedCidrs);
        expect(one(stacks[stack], SETTINGS.postgrest, `${app}-supabase-postgrest`).inputs).toMatchObject({
          schemas: spec.database!.supabase.api.schemas,
          maxRows: spec.database!.supabase.api.maxRows,
        });
        expect(one(stacks[stack], SETTINGS.backups, `${app}-supabase-backups`).inputs["pitrRequired"]).toBe(
          spec.database!.backups.pointInTimeRecovery,
        );
      }
    }
  });

  it("leaves dev's databases reachable from anywhere unless declared, and restricts prod to its declared ranges", () => {
    for (const stack of ["dev", "prod"] as const) {
      const platform = platformOf(stack);
      for (const [app, spec] of Object.entries(platform.apps)) {
        if (!projectRefOf(spec.database)) continue;
        const cidrs = one(stacks[stack], SETTINGS.network, `${app}-supabase-network`).inputs["allowedCidrs"];
        const declared = spec.database!.supabase.network.allowedCidrs;
        if (stack === "prod") expect(declared?.length).toBeGreaterThan(0);
        expect(cidrs).toEqual(declared ? [...declared].sort() : ["0.0.0.0/0", "::/0"]);
      }
    }
  });
});

describe("supabaseSettingsPlan", () => {
  const platform = platformOf("qa");
  const [app, spec] = Object.entries(platform.apps).find(([, s]) => projectRefOf(s.database))!;

  it("derives the ref from the project URL, or takes the declared one", () => {
    const derived = supabaseSettingsPlan(app, spec, platform.environment)!;
    expect(`https://${derived.projectRef}.supabase.co`).toBe(spec.database!.supabaseUrl);
    const declared = structuredClone(spec);
    declared.database!.supabaseUrl = undefined;
    declared.database!.supabase.projectRef = "abcdefghijklmnopqrst";
    expect(supabaseSettingsPlan(app, declared, platform.environment)!.projectRef).toBe(
      "abcdefghijklmnopqrst",
    );
  });

  it("declares nothing for a plain Postgres database or a Supabase one without a known project", () => {
    const postgres = structuredClone(spec);
    postgres.database!.flavor = "postgres";
    expect(supabaseSettingsPlan(app, postgres, platform.environment)).toBeUndefined();
    const unknown = structuredClone(spec);
    unknown.database!.supabaseUrl = undefined;
    expect(supabaseSettingsPlan(app, unknown, platform.environment)).toBeUndefined();
  });

  it("adds the declared extra redirect URLs, sorted and without duplicates", () => {
    const extra = structuredClone(spec);
    const site = siteUrl(app, spec, platform.environment);
    extra.database!.supabase.auth.redirectUrls = [`${site}/auth/callback`, `${site}/welcome`];
    expect(supabaseSettingsPlan(app, extra, platform.environment)!.auth.redirectUrls).toEqual([
      `${site}/auth/callback`,
      `${site}/auth/confirm`,
      `${site}/welcome`,
    ]);
  });
});
