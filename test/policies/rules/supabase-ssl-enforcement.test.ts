import { describe, expect, it } from "vitest";
import { expectCompliant, expectViolation, violationsOf, withInput } from "../support";
import { replacing, supabaseFixture } from "./supabase-support";

const RULE = "supabase-ssl-enforcement";

describe(RULE, () => {
  it("passes every Supabase app of the catalog with SSL enforcement on", async () => {
    const f = supabaseFixture("prod", true);
    expect(f.byApp.size).toBeGreaterThan(0);
    await expectCompliant(RULE, [...f.apps, ...f.settings]);
  });

  it("reports a project whose SSL enforcement is turned off", async () => {
    const f = supabaseFixture("prod", true);
    const [, target] = [...f.byApp][0]!;
    const off = withInput(target.ssl, ["enforced"], false);
    await expectViolation(
      RULE,
      replacing(f, target.ssl, off),
      off.urn,
      /SSL enforcement of Supabase project \w+ is off/,
    );
  });

  it("reports a Supabase app whose SSL enforcement is not declared at all", async () => {
    const f = supabaseFixture("qa", true);
    const [name, target] = [...f.byApp][0]!;
    const resources = [...f.apps, ...f.settings.filter((r) => r !== target.ssl)];
    expect(await violationsOf(RULE, "qa", resources)).toEqual([
      {
        enforcement: "mandatory",
        urn: target.app.urn,
        message: expect.stringMatching(
          new RegExp(`^${name}: Supabase project \\w+ has no SSL enforcement declared$`),
        ),
      },
    ]);
  });
});
