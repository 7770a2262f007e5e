import { describe, expect, it } from "vitest";
import { expectCompliant, violationsOf, withInput } from "../support";
import { replacing, supabaseFixture, type SupabaseFixture } from "./supabase-support";

const RULE = "supabase-pitr";

/** The apps whose catalog entry requires PITR in the stack. */
const requiring = (f: SupabaseFixture) =>
  [...f.byApp].filter(([, r]) => r.backups.inputs["pitrRequired"] === true);

describe(RULE, () => {
  it("has at least one app in the catalog that requires PITR", () => {
    expect(requiring(supabaseFixture("prod")).length).toBeGreaterThan(0);
  });

  it("passes when every project that must have PITR reports it on", async () => {
    const f = supabaseFixture("prod", true);
    await expectCompliant(RULE, [...f.apps, ...f.settings]);
  });

  it("does not judge a status not read yet (offline plan, first preview)", async () => {
    const f = supabaseFixture("prod");
    await expectCompliant(RULE, [...f.apps, ...f.settings]);
  });

  it("reports, as mandatory in prod, a project that reads without PITR, trusting the project and not the flag", async () => {
    const f = supabaseFixture("prod", false);
    const expected = requiring(f).map(([name, r]) => ({
      enforcement: "mandatory",
      urn: r.backups.urn,
      message: expect.stringMatching(
        new RegExp(`^${name}: the catalog requires PITR, and Supabase project \\w+ does not have it$`),
      ),
    }));
    expect(await violationsOf(RULE, "prod", [...f.apps, ...f.settings])).toEqual(expected);
    // Projects whose catalog entry does not require PITR may lack it.
    const notRequired = [...f.byApp].filter(([, r]) => r.backups.inputs["pitrRequired"] !== true);
    for (const [, r] of notRequired) expect(expected.map((e) => e.urn)).not.toContain(r.backups.urn);
  });

  it("reports settings that no longer require what the catalog requires, and a missing status read", async () => {
    const f = supabaseFixture("prod", true);
    const [name, target] = requiring(f)[0]!;
    const relaxed = withInput(target.backups, ["pitrRequired"], false);
    expect(
      (await violationsOf(RULE, "prod", replacing(f, target.backups, relaxed))).map((v) => v.message),
    ).toEqual([
      expect.stringMatching(
        new RegExp(`^${name}: the catalog requires PITR, but project \\w+'s backups do not$`),
      ),
    ]);
    const without = [...f.apps, ...f.settings.filter((r) => r !== target.backups)];
    expect(await violationsOf(RULE, "prod", without)).toEqual([
      {
        enforcement: "mandatory",
        urn: target.app.urn,
        message: expect.stringMatching(/backups are not read$/),
      },
    ]);
  });
});
