import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../infra/config";
import { auditDay, TODAY_VARIABLE, type Exemption } from "../../policies/exemptions";
import { VERCEL } from "../../policies/rules/lib/types";
import { evaluate, resource } from "./support";

// The one seam between the calendar and exemption expiry: LAUNCHPAD_TODAY, else the clock's day.

const RULE = "secrets-in-secrets-manager";
const leaky = resource("prod", VERCEL.envVar, "sheet2scene-frontend-env-api-token", {
  key: "API_TOKEN",
  value: "x",
  sensitive: false,
});
const exemption: Exemption = {
  policy: RULE,
  urn: "urn:pulumi:*::launchpad::*::sheet2scene-frontend-env-*",
  reason: "the vendor rotates this token hourly; tracked in SEC-12",
  expires: "2031-03-31",
  environments: ["prod"],
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the day exemptions are judged on", () => {
  it("is the clock's day (UTC) when LAUNCHPAD_TODAY is not set", () => {
    const clock = () => new Date("2031-03-31T23:59:59-05:00");
    expect(auditDay({}, clock)).toBe("2031-04-01");
    expect(auditDay({ [TODAY_VARIABLE]: "" }, clock)).toBe("2031-04-01");
  });

  it("is LAUNCHPAD_TODAY when set, whatever the clock says", () => {
    expect(auditDay({ [TODAY_VARIABLE]: "2040-02-29" }, () => new Date("2026-01-01T00:00:00Z"))).toBe(
      "2040-02-29",
    );
  });

  it.each(["2031-02-30", "31/03/2031", "tomorrow", "2031-3-1"])(
    "refuses %j naming the variable, as a configuration error",
    (value) => {
      const run = () => auditDay({ [TODAY_VARIABLE]: value });
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(`environment: ${TODAY_VARIABLE}: expected a real calendar day YYYY-MM-DD`);
    },
  );

  it("decides expiry in the evaluation when no day is passed", async () => {
    vi.stubEnv(TODAY_VARIABLE, exemption.expires);
    const onTheDay = await evaluate("prod", [leaky], { exemptions: [exemption] });
    expect(onTheDay.exemptions.map((e) => e.policy)).toEqual([RULE]);

    vi.stubEnv(TODAY_VARIABLE, "2031-04-01");
    const after = await evaluate("prod", [leaky], { exemptions: [exemption] });
    expect(after.exemptions).toEqual([]);
    expect(after.violations.map((v) => [v.policy, v.enforcement])).toEqual(
      expect.arrayContaining([
        [RULE, "mandatory"],
        ["accountable-exemptions", "mandatory"],
      ]),
    );
  });
});
