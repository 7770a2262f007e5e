import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { STACK_NAMES } from "../../infra/config";
import { policyConfigFile, policyConfigText } from "../../policies/config/generate";
import { evaluatePolicies, type PolicyReport } from "../../policies/evaluate";
import { policies } from "../../policies/rules";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { MUTATIONS } from "./mutations";

/** The shipped stacks, evaluated once (one after the other: the Pulumi runtime is per process). */
const stacks: Partial<Record<string, StackEvaluation>> = {};
beforeAll(async () => {
  for (const stack of STACK_NAMES) stacks[stack] = await evaluateStack(stack);
});
const prod = (): StackEvaluation => stacks["prod"]!;

const key = (v: { policy: string; urn: string; message: string }): string =>
  `${v.policy}|${v.urn}|${v.message}`;

describe("mutation suite: each rule catches its violation injected into the real prod stack", () => {
  let baseline: PolicyReport;
  beforeAll(async () => {
    baseline = await evaluatePolicies(prod(), { exemptions: [] });
  });

  it("has a mutation for every rule of the pack, and none for a rule the pack lacks", () => {
    expect([...new Set(MUTATIONS.map((m) => m.rule))].sort()).toEqual(policies.map((p) => p.name).sort());
  });

  it.each(MUTATIONS.map((m) => [m.rule, m.what, m] as const))("%s: %s", async (rule, _what, mutation) => {
    const mutated = mutation.apply(prod().resources);
    const report = await evaluatePolicies(
      { stack: "prod", resources: mutated.resources },
      { exemptions: [] },
    );
    const before = new Set(baseline.violations.map(key));
    const caught = report.violations.filter((v) => v.policy === rule && !before.has(key(v)));
    expect(caught.length, JSON.stringify(report.violations, null, 2)).toBeGreaterThan(0);
    expect(caught.map((v) => [v.urn, v.enforcement])).toContainEqual([mutated.urn, "mandatory"]);
    // The injected violation is the rule's own: no other rule starts failing because of it.
    const others = report.violations.filter((v) => !before.has(key(v)) && v.policy !== rule);
    expect(others.filter((v) => v.enforcement === "mandatory").map((v) => v.policy)).toEqual([]);
  });

  it("changes resources the stack already declares, adding one only where the stack has none of the kind", () => {
    const types = new Set(prod().resources.map((r) => r.type));
    const urns = new Set(prod().resources.map((r) => r.urn));
    const injected: string[] = [];
    for (const mutation of MUTATIONS) {
      const { resources, existing } = mutation.apply(prod().resources);
      if (!existing) injected.push(mutation.rule);
      const added = resources.filter((r) => !urns.has(r.urn));
      expect(added.length, mutation.rule).toBe(existing ? 0 : 1);
      for (const r of added) expect(types.has(r.type), `${mutation.rule} adds a ${r.type}`).toBe(false);
    }
    console.info(`mutations on resources the prod stack lacks: ${injected.join(", ") || "none"}`);
  });
});

describe("the shipped configuration", () => {
  it.each([...STACK_NAMES])("%s has no unexempted mandatory violation", async (stack) => {
    const report = await evaluatePolicies(stacks[stack]!);
    const blocking = report.violations.filter((v) => v.enforcement === "mandatory");
    expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
  });

  it.each([...STACK_NAMES])("policies/config/%s.json holds the levels of the stack's profile", (stack) => {
    expect(fs.readFileSync(policyConfigFile(stack), "utf8")).toBe(policyConfigText(stack));
  });
});
