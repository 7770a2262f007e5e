import { describe, expect, it } from "vitest";
import { platformOf } from "../../components/support";
import { siteHostname } from "../../../infra/naming";
import { expectCompliant, violationsOf, withInput } from "../support";
import { replacing, supabaseFixture } from "./supabase-support";

const RULE = "supabase-auth-redirects";

describe(RULE, () => {
  it("passes the catalog's auth URLs in every stack", async () => {
    for (const stack of ["dev", "qa", "prod"] as const) {
      const f = supabaseFixture(stack, true);
      expect(await violationsOf(RULE, stack, [...f.apps, ...f.settings])).toEqual([]);
    }
  });

  const prod = supabaseFixture("prod", true);
  const [name, target] = [...prod.byApp][0]!;
  const domain = siteHostname(name, platformOf("prod").apps[name]!, platformOf("prod").environment);

  it.each([
    [
      "another site",
      "https://attacker.example/auth/callback",
      /is on attacker\.example, not on the app's own domain/,
    ],
    [
      "a look-alike host ending with the domain",
      `https://${domain}.attacker.example/cb`,
      /not on the app's own domain/,
    ],
    [
      "a host that merely ends with the same letters",
      `https://evil${domain}/cb`,
      /not on the app's own domain/,
    ],
    ["plain http on the app's own domain", `http://${domain}/auth/callback`, /is not https/],
    ["a wildcard", `https://*.${domain}/cb`, /has a wildcard/],
    ["another port", `https://${domain}:8443/cb`, /names a port/],
    ["credentials in the URL", `https://user:pw@${domain}/cb`, /carries credentials/],
  ])("reports a redirect URL to %s", async (_what, url, message) => {
    const bad = withInput(
      target.auth,
      ["redirectUrls"],
      [...(target.auth.inputs["redirectUrls"] as string[]), url],
    );
    const found = await violationsOf(RULE, "prod", replacing(prod, target.auth, bad));
    expect(found).toEqual([
      { enforcement: "mandatory", urn: bad.urn, message: expect.stringMatching(message) },
    ]);
  });

  it("judges by the catalog's domain: widening the resource's own allowedDomains does not help", async () => {
    const bad = withInput(
      withInput(target.auth, ["allowedDomains"], [domain, "attacker.example"]),
      ["siteUrl"],
      "https://attacker.example",
    );
    const found = await violationsOf(RULE, "prod", replacing(prod, target.auth, bad));
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/the auth site URL .* attacker\.example/),
    ]);
  });

  it("reports a prod domain used as a redirect in dev, where the app's site is another host", async () => {
    const dev = supabaseFixture("dev", true);
    const devTarget = dev.byApp.get(name)!;
    const bad = withInput(devTarget.auth, ["redirectUrls", 0], `https://${domain}/auth/callback`);
    const found = await violationsOf(RULE, "dev", replacing(dev, devTarget.auth, bad));
    // dev enforces advisory only, but the finding is the same.
    expect(found).toEqual([
      {
        enforcement: "advisory",
        urn: bad.urn,
        message: expect.stringMatching(/not on the app's own domain/),
      },
    ]);
  });

  it("reports a Supabase app with no auth config declared", async () => {
    await expectCompliant(RULE, [...prod.apps, ...prod.settings]);
    const found = await violationsOf(RULE, "prod", [
      ...prod.apps,
      ...prod.settings.filter((r) => r !== target.auth),
    ]);
    expect(found).toEqual([
      {
        enforcement: "mandatory",
        urn: target.app.urn,
        message: expect.stringMatching(/has no auth config declared/),
      },
    ]);
  });
});
