import { describe, it } from "vitest";
import { VERCEL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, violationsOf, withInput } from "../support";
import { expect } from "vitest";

const RULE = "frontend-rate-limit";

const project = (stack: string) =>
  resource(stack, VERCEL.project, "submissions-frontend-project", { name: `submissions-${stack}` });
const firewall = (stack: string, p = project(stack)) =>
  resource(
    stack,
    VERCEL.firewall,
    "submissions-frontend-firewall",
    {
      projectId: "p",
      enabled: true,
      rules: {
        rules: [
          {
            name: "rate-limit-per-ip",
            active: true,
            conditionGroups: [{ conditions: [{ type: "path", op: "pre", value: "/" }] }],
            action: {
              action: "rate_limit",
              rateLimit: { algo: "fixed_window", keys: ["ip"], limit: 60, window: 60, action: "deny" },
            },
          },
        ],
      },
    },
    { from: { projectId: [p] } },
  );
const prod = project("prod");
const prodFirewall = firewall("prod", prod);

describe(RULE, () => {
  it("passes a production project whose firewall limits each IP", async () => {
    await expectCompliant(RULE, [prod, prodFirewall]);
  });

  it("reports a production project without a firewall", async () => {
    await expectViolation(RULE, [prod], prod.urn, /no firewall configuration/);
  });

  it("reports a firewall that is disabled, or whose rate limit is inactive or missing", async () => {
    const disabled = withInput(prodFirewall, ["enabled"], false);
    const inactive = withInput(prodFirewall, ["rules", "rules", 0, "active"], false);
    const none = withInput(prodFirewall, ["rules", "rules"], []);
    for (const bad of [disabled, inactive, none]) {
      await expectViolation(RULE, [prod, bad], prod.urn, /firewall has no active rate_limit rule/);
    }
  });

  it("does not require a rate limit outside production", async () => {
    expect(await violationsOf(RULE, "dev", [project("dev")])).toEqual([]);
  });
});
