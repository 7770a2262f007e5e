import { beforeAll, describe, expect, it } from "vitest";
import type { StackEvaluation } from "../../tools/engine/types";
import { at, childrenOf, evaluateAll, ofType, one, platformOf, STACKS, T, type Stack } from "./support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

const SITE: Record<Stack, (app: string, domain: string) => string> = {
  dev: (app) => `${app}.dev.launchpad-fleet.app`,
  qa: (app) => `${app}.qa.launchpad-fleet.app`,
  prod: (_app, domain) => domain,
};

describe.each(STACKS)("frontends in %s", (stack) => {
  const platform = platformOf(stack);
  const withFrontend = Object.entries(platform.apps).filter(([, spec]) => spec.frontend);

  it("declares a Frontend only for the apps whose catalog entry has one", () => {
    const names = ofType(stacks[stack], T.frontend).map((r) => r.name);
    expect(names.sort()).toEqual(withFrontend.map(([app]) => `${app}-frontend`).sort());
    expect(withFrontend.length).toBeGreaterThan(0);
    // An app without a frontend (the MapQuiz API) gets none.
    expect(names).not.toContain("mapquiz-frontend");
  });

  describe.each(withFrontend)("%s", (app, spec) => {
    const frontend = spec.frontend!;
    const project = () => one(stacks[stack], T.project, `${app}-frontend-project`);

    it("is a child of the app, and its resources children of the Frontend", () => {
      const component = one(stacks[stack], T.frontend, `${app}-frontend`);
      expect(component.parent).toBe(one(stacks[stack], T.app, app).urn);
      const children = childrenOf(stacks[stack], component);
      expect(children.map((c) => c.type)).toEqual(
        expect.arrayContaining([T.project, T.domain, T.retention, T.firewall, T.route]),
      );
      expect(children.every((c) => c.name.startsWith(`${app}-frontend-`))).toBe(true);
    });

    it("is one Vercel project per environment, built from the app's repository and branches", () => {
      const inputs = project().inputs;
      expect(inputs["name"]).toBe(`${app}-${stack}`);
      expect(inputs["framework"]).toBe(frontend.framework);
      expect(at(inputs, "gitRepository")).toMatchObject({
        type: "github",
        repo: `${spec.repository.owner}/${spec.repository.name}`,
      });
      const branches = platform.environment.branches;
      expect(inputs["ignoreCommand"]).toContain(`in ${branches.join("|")}) exit 1;;`);
      expect(at(inputs, "gitRepository", "productionBranch")).toBe(
        { dev: undefined, qa: "qa", prod: "main" }[stack],
      );
      expect(inputs["gitForkProtection"]).toBe(true);
      expect(at(inputs, "vercelAuthentication", "deploymentType")).toBe(
        platform.environment.protectPreviews ? "standard_protection_new" : "none",
      );
    });

    it("has public variables in plain sight and secrets as sensitive, secret values", () => {
      const publicEnv = one(stacks[stack], T.publicEnv, `${app}-frontend-public-env`);
      const variables = publicEnv.inputs["variables"] as Array<Record<string, unknown>>;
      expect(publicEnv.secretInputs).toEqual([]);
      expect(variables.every((v) => v["sensitive"] === false)).toBe(true);
      for (const v of variables) expect(String(v["key"])).toMatch(/^(NEXT_PUBLIC|VITE)_/);
      // Each catalog variable, resolved: literals as written, wired values from this environment.
      const wired: Record<string, string | undefined> = {
        siteUrl: `https://${SITE[stack](app, spec.domain)}`,
        supabaseUrl: spec.database?.supabaseUrl,
        // The backend's public API, on the `api.` subdomain of the site.
        backendUrl: `https://api.${SITE[stack](app, spec.domain)}`,
      };
      const expected = Object.entries(frontend.publicEnv).flatMap(([key, value]) => {
        const resolved = typeof value === "string" ? value : wired[value.from];
        return resolved === undefined ? [] : [[key, resolved]];
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(variables.map((v) => [v["key"], v["value"]]).sort()).toEqual(expected.sort());

      const secrets = ofType(stacks[stack], T.envVar).filter((r) =>
        r.name.startsWith(`${app}-frontend-env-`),
      );
      expect(secrets.map((r) => r.inputs["key"]).sort()).toEqual([...frontend.secretEnv].sort());
      for (const secret of secrets) {
        expect(secret.inputs["sensitive"]).toBe(true);
        expect(secret.secretInputs).toContain("value");
        expect(String(secret.inputs["key"])).not.toMatch(/^(NEXT_PUBLIC|VITE)_/);
      }
    });

    it("answers on the environment's domain, with HSTS on every response", () => {
      const domain = one(stacks[stack], T.domain, `${app}-frontend-domain`);
      expect(domain.inputs["domain"]).toBe(SITE[stack](app, spec.domain));
      const hsts = one(stacks[stack], T.route, `${app}-frontend-hsts`);
      expect(JSON.stringify(hsts.inputs)).toContain("Strict-Transport-Security");
      expect(JSON.stringify(hsts.inputs)).toContain("max-age=63072000");
    });

    it("keeps deployments for the environment's retention", () => {
      const retention = one(stacks[stack], T.retention, `${app}-frontend-retention`).inputs;
      const expected = { dev: "1w", qa: "1m", prod: "1y" }[stack];
      expect(retention["expirationProduction"]).toBe(expected);
      expect(retention["expirationPreview"]).toBe(expected);
    });

    it("runs the OWASP rules with the profile's action and the catalog's rate limit per IP", () => {
      const firewall = one(stacks[stack], T.firewall, `${app}-frontend-firewall`).inputs;
      expect(firewall["enabled"]).toBe(true);
      const owasp = at(firewall, "managedRulesets", "owasp") as Record<
        string,
        { action: string; active: boolean }
      >;
      expect(Object.keys(owasp)).toHaveLength(11);
      for (const group of Object.values(owasp)) {
        expect(group).toEqual({ active: true, action: platform.environment.firewallAction });
      }
      const rules = at(firewall, "rules", "rules") as Array<Record<string, unknown>>;
      const limit = rules.find((r) => at(r, "action", "action") === "rate_limit");
      expect(at(limit, "action", "rateLimit")).toMatchObject({
        limit: frontend.rateLimit!.requests,
        window: frontend.rateLimit!.windowSeconds,
        keys: ["ip"],
        action: "deny",
      });
    });

    it("grants CORS to the site's own origin and the catalog's origins, each by name, never *", () => {
      const routes = ofType(stacks[stack], T.route).filter((r) => r.name.startsWith(`${app}-frontend-cors-`));
      const granted = routes.map((r) => at(r.inputs, "route", "has", 0, "value"));
      const expected = [`https://${SITE[stack](app, spec.domain)}`, ...spec.cors.allowedOrigins];
      expect(granted.sort()).toEqual([...new Set(expected)].sort());
      for (const route of routes) {
        const origin = at(route.inputs, "route", "has", 0, "value");
        const transforms = at(route.inputs, "route", "transforms") as Array<Record<string, string>>;
        const allowOrigin = transforms.find(
          (t) => t["target"] === JSON.stringify({ key: "Access-Control-Allow-Origin" }),
        );
        expect(allowOrigin?.["args"]).toBe(JSON.stringify(origin));
        expect(JSON.stringify(route.inputs)).not.toContain('"*"');
      }
    });
  });
});

describe("seed requirements", () => {
  it("workspace-analytics builds apps/web with pnpm, limited to 100 requests a minute per IP", () => {
    for (const stack of STACKS) {
      const project = one(stacks[stack], T.project, "workspace-analytics-frontend-project").inputs;
      expect(project).toMatchObject({ rootDirectory: "apps/web", buildCommand: "pnpm build" });
      const firewall = one(stacks[stack], T.firewall, "workspace-analytics-frontend-firewall").inputs;
      expect(at(firewall, "rules", "rules", 0, "action", "rateLimit")).toMatchObject({
        limit: 100,
        window: 60,
        keys: ["ip"],
      });
    }
  });

  it("workspace-analytics allows its www origin besides its own", () => {
    const routes = ofType(stacks.prod, T.route).map((r) => r.name);
    expect(routes).toContain("workspace-analytics-frontend-cors-www-workspace-analytics-app");
    expect(routes).toContain("workspace-analytics-frontend-cors-workspace-analytics-app");
  });

  it("sheet2scene's service-role and RunPod keys are server-side, sensitive variables", () => {
    const keys = ofType(stacks.prod, T.envVar)
      .filter((r) => r.name.startsWith("sheet2scene-frontend-"))
      .map((r) => [r.inputs["key"], r.inputs["sensitive"]]);
    expect(keys).toEqual(
      expect.arrayContaining([
        ["SUPABASE_SERVICE_ROLE_KEY", true],
        ["RUNPOD_API_KEY", true],
      ]),
    );
  });

  it("the prod Vercel project is protected against deletion, dev's is not", () => {
    expect(one(stacks.prod, T.project, "sheet2scene-frontend-project").protect).toBe(true);
    expect(one(stacks.dev, T.project, "sheet2scene-frontend-project").protect).toBe(false);
  });
});
