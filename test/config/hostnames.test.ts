import { describe, expect, it } from "vitest";
import { validatePlatform } from "../../infra/config";
import { serviceHostname } from "../../infra/naming";
import { appsOf } from "../support/config-fixtures";
import { completeConfig, overridesOf, problems } from "./support";

/** Two apps of the catalog, and one with an enabled public web service (its API gets `<service>.<site>`). */
function pick(stack: string) {
  const config = completeConfig(stack);
  const platform = validatePlatform(stack, config);
  const names = Object.keys(platform.apps);
  const withApi = names.find((n) =>
    Object.values(platform.apps[n]!.services).some(
      (s) => s.enabled && s.public !== false && s.kind === "web",
    ),
  )!;
  const other = names.find((n) => n !== withApi)!;
  return { config, platform, withApi, other, first: names[0]!, second: names[1]! };
}

describe("a hostname belongs to one app", () => {
  it.each(["dev", "qa", "prod"])("%s: the shipped catalog claims each hostname once", (stack) => {
    expect(problems(stack, completeConfig(stack))).toEqual([]);
  });

  it.each(["dev", "qa", "prod"])(
    "%s: refuses two apps on one domain, at the second app's domain",
    (stack) => {
      const { config, first, second } = pick(stack);
      const apps = appsOf(config);
      apps[second]!["domain"] = apps[first]!["domain"];
      expect(problems(stack, config)).toEqual([
        `Pulumi.yaml: launchpad:apps.${second}.domain: hostname "${apps[first]!["domain"]}" (the domain of app "${second}") is already the domain of app "${first}"; each hostname belongs to one app`,
      ]);
    },
  );

  it("refuses an app's domain that is another app's derived API hostname, in every stack", () => {
    for (const stack of ["dev", "qa", "prod"]) {
      const { config, platform, withApi, other } = pick(stack);
      const [service] = Object.entries(platform.apps[withApi]!.services).find(
        ([, s]) => s.enabled && s.public !== false && s.kind === "web",
      )!;
      // Where the API answers in production: its app's own domain layout.
      const production = { ...platform.environment, useAppDomains: true };
      const taken = serviceHostname(withApi, service, platform.apps[withApi]!, production);
      const domainOwnedByApi = taken === platform.apps[withApi]!.domain;
      appsOf(config)[other]!["domain"] = taken;
      const found = problems(stack, config);
      expect(found.length, found.join("\n")).toBeGreaterThan(0);
      expect(found.join("\n")).toContain(`hostname "${taken}"`);
      expect(found.join("\n")).toMatch(
        domainOwnedByApi
          ? /is already the domain of app/
          : new RegExp(`service "${service}" of app "${withApi}"`),
      );
    }
  });

  it("locates a clash a stack's overrides create in that stack's file", () => {
    const { config, first, second } = pick("prod");
    const domain = appsOf(config)[first]!["domain"] as string;
    overridesOf(config)[second] = { ...overridesOf(config)[second], domain };
    expect(problems("prod", config)).toContain(
      `Pulumi.prod.yaml: launchpad:overrides.${second}.domain: hostname "${domain}" (the domain of app "${second}") is already the domain of app "${first}"; each hostname belongs to one app`,
    );
  });
});
