import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../infra/config";
import { loadExemptions, urnPattern, type Exemption } from "../../policies/exemptions";
import { withExemptions } from "../../policies/exemptions/crossguard";
import { policies } from "../../policies/rules";
import { VERCEL } from "../../policies/rules/lib/types";
import { evaluate, resource, rootUrn } from "./support";

const RULE = "secrets-in-secrets-manager";
const leaky = (stack: string) =>
  resource(stack, VERCEL.envVar, "sheet2scene-frontend-env-api-token", {
    key: "API_TOKEN",
    value: "x",
    sensitive: false,
  });
const exemption = (over: Partial<Exemption> = {}): Exemption => ({
  policy: RULE,
  urn: "urn:pulumi:*::launchpad::*::sheet2scene-frontend-env-*",
  reason: "the vendor rotates this token hourly; tracked in SEC-12",
  expires: "2026-12-31",
  environments: ["prod"],
  ...over,
});
const TODAY = "2026-11-21";

describe("exemptions in the offline evaluation", () => {
  it("moves a waived violation to the exemptions, with its reason and expiry", async () => {
    const report = await evaluate("prod", [leaky("prod")], { exemptions: [exemption()], today: TODAY });
    expect(report.violations.filter((v) => v.policy === RULE)).toEqual([]);
    expect(report.exemptions).toEqual([
      expect.objectContaining({
        policy: RULE,
        urn: leaky("prod").urn,
        enforcement: "mandatory",
        reason: "the vendor rotates this token hourly; tracked in SEC-12",
        expires: "2026-12-31",
      }),
    ]);
  });

  it("holds through its expiry day, then stops waiving and is itself a mandatory violation", async () => {
    const onTheDay = await evaluate("prod", [leaky("prod")], {
      exemptions: [exemption()],
      today: "2026-12-31",
    });
    expect(onTheDay.exemptions).toHaveLength(1);
    const after = await evaluate("prod", [leaky("prod")], { exemptions: [exemption()], today: "2027-01-01" });
    expect(after.exemptions).toEqual([]);
    const relevant = after.violations.filter(
      (v) => v.policy === RULE || v.policy === "accountable-exemptions",
    );
    expect(relevant.map((v) => [v.policy, v.enforcement])).toEqual([
      [RULE, "mandatory"],
      ["accountable-exemptions", "mandatory"],
    ]);
    expect(relevant[1]).toMatchObject({
      urn: rootUrn("prod"),
      checklistItem: 2,
      message: expect.stringMatching(/exemption of secrets-in-secrets-manager .* expired on 2026-12-31/),
    });
  });

  it("makes an expired exemption a mandatory violation even where every rule is advisory", async () => {
    const dev = await evaluate("dev", [], {
      exemptions: [exemption({ environments: ["dev"] })],
      today: "2027-02-01",
    });
    expect(dev.violations.map((v) => [v.policy, v.enforcement])).toContainEqual([
      "accountable-exemptions",
      "mandatory",
    ]);
  });

  it("reports an exemption that waives nothing as stale", async () => {
    const report = await evaluate("prod", [], { exemptions: [exemption()], today: TODAY });
    expect(report.violations.filter((v) => v.policy === "accountable-exemptions")).toEqual([
      expect.objectContaining({
        enforcement: "advisory",
        message: expect.stringMatching(/^stale exemption: secrets-in-/),
      }),
    ]);
  });

  it("applies only in its environments, and only to its rule and URNs", async () => {
    const qa = await evaluate("qa", [leaky("qa")], { exemptions: [exemption()], today: TODAY });
    expect(qa.exemptions).toEqual([]);
    expect(qa.violations.map((v) => v.policy)).toContain(RULE);
    const other = await evaluate("prod", [leaky("prod")], {
      exemptions: [exemption({ urn: "urn:pulumi:prod::launchpad::*::mapquiz-*" })],
      today: TODAY,
    });
    expect(other.exemptions).toEqual([]);
  });

  it("matches URN patterns literally apart from `*`", () => {
    const urn = "urn:pulumi:prod::launchpad::pulumi:pulumi:Stack$launchpad:index:App::mapquiz";
    expect(urnPattern("urn:pulumi:*::launchpad::pulumi:pulumi:Stack$launchpad:index:App::*").test(urn)).toBe(
      true,
    );
    expect(
      urnPattern("urn:pulumi:prod::launchpad::pulumi:pulumi:Stack.launchpad:index:App::mapquiz").test(urn),
    ).toBe(false);
  });
});

describe("the exemptions file", () => {
  const write = (text: string): string => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-exemptions-")),
      "exemptions.yaml",
    );
    fs.writeFileSync(file, text);
    return file;
  };

  it("ships valid exemptions, each with a reason and an expiry", () => {
    const shipped = loadExemptions();
    for (const e of shipped) {
      expect(policies.map((p) => p.name)).toContain(e.policy);
      expect(e.reason.length).toBeGreaterThanOrEqual(10);
      expect(e.expires).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("refuses an exemption without a reason or an expiry, of an unknown rule, or for no environment", () => {
    const file = write(
      [
        "exemptions:",
        "  - policy: no-such-rule",
        '    urn: "urn:pulumi:*"',
        "    expires: 2026-02-30",
        "    environments: []",
        "  - policy: strict-cors",
        '    urn: "urn:pulumi:*"',
        "    reason: ok",
        "    environments: [staging]",
        "    owner: me",
      ].join("\n"),
    );
    let error: unknown;
    try {
      loadExemptions(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^exemptions\[0\]\.policy: expected the id of a rule/),
        expect.stringMatching(/^exemptions\[0\]\.reason: /),
        expect.stringMatching(/^exemptions\[0\]\.expires: expected a real calendar date/),
        expect.stringMatching(/^exemptions\[0\]\.environments: /),
        expect.stringMatching(/^exemptions\[1\]\.reason: expected a reason of at least 10/),
        expect.stringMatching(/^exemptions\[1\]\.expires: /),
        expect.stringMatching(/^exemptions\[1\]\.environments\[0\]: /),
        expect.stringMatching(/^exemptions\[1\]: .*owner/),
      ]),
    );
  });
});

describe("exemptions under the Pulumi CLI", () => {
  const wrapped = withExemptions(policies, [exemption()], TODAY);
  const secrets = wrapped.find((p) => p.name === RULE) as ResourceValidationPolicy;

  const analyze = (stack: string): unknown[] => {
    const reported: unknown[] = [];
    const r = leaky(stack);
    const args = {
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: r.inputs,
      opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
      getConfig: () => ({}),
    } as unknown as ResourceValidationArgs;
    void (
      secrets.validateResource as (
        a: ResourceValidationArgs,
        report: (m: unknown, u?: string) => void,
      ) => void
    )(args, (m, u) => reported.push(u === undefined ? m : [m, u]));
    return reported;
  };

  it("reports a waived violation as advisory, with the reason and expiry", () => {
    expect(analyze("prod")).toEqual([
      {
        enforcementLevel: "advisory",
        urn: leaky("prod").urn,
        message: expect.stringMatching(
          /^exempt until 2026-12-31 \(the vendor rotates .*\): API_TOKEN looks like a secret/,
        ),
      },
    ]);
  });

  it("leaves violations the exemption does not cover untouched", () => {
    expect(analyze("qa")).toEqual([expect.stringMatching(/^API_TOKEN looks like a secret/)]);
  });

  it("adds a mandatory policy that reports expired exemptions", () => {
    const expiredPack = withExemptions(policies, [exemption({ expires: "2026-01-01" })], TODAY);
    const check = expiredPack.at(-1) as StackValidationPolicy;
    expect(check).toMatchObject({ name: "accountable-exemptions", enforcementLevel: "mandatory" });
    const reported: string[] = [];
    void check.validateStack(
      { resources: [{ urn: leaky("prod").urn }], getConfig: () => ({}) } as never,
      (message) => reported.push(message),
    );
    expect(reported).toEqual([expect.stringMatching(/expired on 2026-01-01/)]);
  });
});
