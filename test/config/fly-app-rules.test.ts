/** A service's explicit Fly app (`flyApp`): Fly's naming rules, and one Fly app per service across the catalog. */
import { describe, expect, it } from "vitest";
import type { LayeredConfig } from "../../infra/config";
import { appsOf, configIssues, realConfig, secretValuesFor, withSecrets } from "../support/config-fixtures";

/** The dev stack's config, every secret set, after `edit`. */
function devConfig(edit: (apps: Record<string, Record<string, any>>) => void): LayeredConfig {
  const config = realConfig("dev");
  edit(appsOf(config));
  return withSecrets(
    config,
    "dev",
    secretValuesFor("dev", () => "https://discord.com/api/webhooks/1/t"),
  );
}

/** Every enabled service of the catalog, as [app, service]; the rules below need two of them. */
function enabledServices(): [string, string][] {
  return Object.entries(appsOf(realConfig("dev"))).flatMap(([app, spec]) =>
    Object.entries((spec["services"] ?? {}) as Record<string, { enabled?: boolean }>)
      .filter(([, s]) => s.enabled !== false)
      .map(([service]): [string, string] => [app, service]),
  );
}

const flyAppIssues = (config: LayeredConfig) =>
  configIssues("dev", config).filter((i) => i.key.includes(".services."));

describe("flyApp", () => {
  const services = enabledServices();
  const [first, second] = services;

  it("has at least two services to check against (the catalog deploys APIs on Fly)", () => {
    expect(services.length).toBeGreaterThanOrEqual(2);
  });

  it("accepts an existing app's name", () => {
    const [app, service] = first!;
    expect(
      flyAppIssues(
        devConfig((apps) => (apps[app]!["services"][service].flyApp = "backend-solitary-moon-1875")),
      ),
    ).toEqual([]);
  });

  it.each([
    ["upper case", "Backend-Moon"],
    ["an underscore", "backend_moon"],
    ["a leading dash", "-backend"],
    ["too long", "a".repeat(64)],
  ])("refuses a name with %s, at its key path", (_case, name) => {
    const [app, service] = first!;
    const found = flyAppIssues(devConfig((apps) => (apps[app]!["services"][service].flyApp = name)));
    expect(found).toEqual([
      expect.objectContaining({
        key: `launchpad:apps.${app}.services.${service}.flyApp`,
        message: expect.stringContaining("expected a Fly app name"),
      }),
    ]);
  });

  it("refuses two services on one Fly app", () => {
    const found = flyAppIssues(
      devConfig((apps) => {
        apps[first![0]]!["services"][first![1]].flyApp = "shared-app";
        apps[second![0]]!["services"][second![1]].flyApp = "shared-app";
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        key: `launchpad:apps.${second![0]}.services.${second![1]}.flyApp`,
        message: `Fly app "shared-app" is already the app of apps.${first![0]}.services.${first![1]}; each service needs its own Fly app`,
      }),
    ]);
  });

  it("refuses a name another service gets generated", () => {
    const generated = `${first![0]}-${first![1]}-dev`;
    const found = flyAppIssues(
      devConfig((apps) => (apps[second![0]]!["services"][second![1]].flyApp = generated)),
    );
    expect(found.map((i) => i.message)).toEqual([
      expect.stringContaining(`Fly app "${generated}" is already the app of`),
    ]);
  });
});
