import { beforeAll, describe, expect, it } from "vitest";
import { STACK_NAMES } from "../../infra/config";
import { policyCoverage, providerOf, type CoverageReport } from "../../policies/evaluate/coverage";
import { policies } from "../../policies/rules";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";

let plans: StackEvaluation[];
let report: CoverageReport;
beforeAll(async () => {
  plans = [];
  for (const stack of STACK_NAMES) plans.push(await evaluateStack(stack));
  report = policyCoverage(plans);
});

describe("rule coverage of the resource types in the plans", () => {
  it("prints the types no rule reads, with the reason each needs none", () => {
    const lines = report.uncovered.map(
      (u) =>
        `${u.gap ? "GAP " : "    "}${u.type} (${Object.values(u.count).reduce((a, b) => a + b)}) ${u.reason ?? ""}`,
    );
    console.info(
      `policy coverage: ${report.covered.length} types read by rules; not read:\n${lines.join("\n")}`,
    );
    expect(report.covered.length).toBeGreaterThan(10);
  });

  it("leaves no type of a security-relevant provider unread without a reason", () => {
    expect(report.uncovered.filter((u) => u.gap).map((u) => u.type)).toEqual([]);
  });

  it("reads every Vercel, GitHub and Fly type the stacks declare except the ones excused", () => {
    const declared = new Set(plans.flatMap((p) => p.resources.filter((r) => r.custom).map((r) => r.type)));
    const read = new Set(policies.flatMap((p) => p.resourceTypes));
    for (const type of declared) {
      const excused = report.uncovered.find((u) => u.type === type)?.reason;
      expect(read.has(type) || excused !== undefined, type).toBe(true);
    }
  });

  it("flags a new type of a security provider that no rule reads", () => {
    const added = { ...plans[2]!.resources[0]!, type: "vercel:index/accessGroup:AccessGroup", custom: true };
    const withNew = policyCoverage([{ stack: "prod", resources: [...plans[2]!.resources, added] }]);
    expect(withNew.uncovered.filter((u) => u.gap).map((u) => u.type)).toEqual([
      "vercel:index/accessGroup:AccessGroup",
    ]);
  });

  it("names providers from type tokens", () => {
    expect(providerOf("vercel:index/project:Project")).toBe("vercel");
    expect(providerOf("pulumi:providers:github")).toBe("github");
    expect(providerOf("pulumi-nodejs:dynamic/fly:Machine")).toBe("pulumi-nodejs:dynamic/fly");
  });
});
