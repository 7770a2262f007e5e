import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { evaluatePolicies, type PolicyEvaluationOptions } from "../../policies/evaluate";
import { resourceRule, stackRule, type LaunchpadPolicy } from "../../policies/rules/checklist";
import { VERCEL } from "../../policies/rules/lib/types";
import { resource, rootUrn } from "./support";

const S = "prod";
const meta = {
  severity: "low" as const,
  checklistItem: 1,
  remediationSteps: "fix it",
  resourceTypes: [VERCEL.project],
};
const project = resource(S, VERCEL.project, "p", {
  name: "p-prod",
  framework: "[unknown]",
  nested: { list: [1] },
});

/** A resource rule reporting once per Vercel project. */
const always = (name: string, extra: Partial<LaunchpadPolicy> = {}): LaunchpadPolicy =>
  resourceRule({
    name,
    description: `${name} description`,
    ...meta,
    validateResource: (args, report) => {
      if (args.type === VERCEL.project) report(`${name} fired`);
    },
    ...(extra as object),
  });

const run = (policies: LaunchpadPolicy[], options: PolicyEvaluationOptions = {}, resources = [project]) =>
  evaluatePolicies({ stack: S, resources }, { exemptions: [], config: {}, policies, ...options });

describe("enforcement levels, as CrossGuard resolves them", () => {
  it("takes the per-rule config over the rule's level, the rule's over the pack's (mandatory)", async () => {
    const report = await run(
      [
        always("a", { enforcementLevel: "advisory" }),
        always("b"),
        always("c", { enforcementLevel: "advisory" }),
      ],
      {
        config: { c: "mandatory" },
      },
    );
    expect(report.violations.map((v) => [v.policy, v.enforcement])).toEqual([
      ["a", "advisory"],
      ["b", "mandatory"],
      ["c", "mandatory"],
    ]);
  });

  it("lets `all` set every rule and a per-rule entry override it", async () => {
    const report = await run([always("a", { enforcementLevel: "mandatory" }), always("b")], {
      config: { all: "advisory", b: { enforcementLevel: "mandatory" } },
    });
    expect(report.violations.map((v) => [v.policy, v.enforcement])).toEqual([
      ["a", "advisory"],
      ["b", "mandatory"],
    ]);
  });

  it("skips disabled rules and validates remediate rules as mandatory", async () => {
    const report = await run([always("a"), always("b")], { config: { a: "disabled", b: "remediate" } });
    expect(report.violations.map((v) => [v.policy, v.enforcement])).toEqual([["b", "mandatory"]]);
  });

  it("refuses an invalid level, like the CLI", async () => {
    await expect(run([always("a")], { config: { a: "strict" as never } })).rejects.toThrow(
      /not a valid enforcement level/,
    );
  });

  it("defaults to the levels of the stack's profile", async () => {
    const dev = await evaluatePolicies({ stack: "dev", resources: [] }, { exemptions: [], policies: [] });
    expect(dev.violations).toEqual([]);
    const qa = await evaluatePolicies(
      {
        stack: "qa",
        resources: [resource("qa", VERCEL.envVar, "v", { key: "API_TOKEN", value: "x", sensitive: false })],
      },
      { exemptions: [] },
    );
    // qa blocks the required items (2: secrets, 3: RLS) and advises on the rest (6: audit logs).
    const levels = Object.fromEntries(qa.violations.map((v) => [v.policy, v.enforcement]));
    expect(levels).toEqual({
      "secrets-in-secrets-manager": "mandatory",
      "rls-on-every-table": "mandatory",
      "audit-logs": "advisory",
    });
  });
});

describe("rule config", () => {
  const echo = resourceRule({
    name: "echo",
    description: "echo",
    ...meta,
    configSchema: { properties: { limit: { type: "integer", default: 3 }, label: { type: "string" } } },
    validateResource: (args, report) => report(JSON.stringify(args.getConfig())),
  });

  it("hands each rule its schema defaults merged with its config, without the level", async () => {
    const plain = await run([echo]);
    expect(plain.violations[0]!.message).toBe('{"limit":3}');
    const set = await run([echo], {
      config: { echo: { enforcementLevel: "advisory", label: "x", limit: 5 } },
    });
    expect(set.violations[0]!.message).toBe('{"limit":5,"label":"x"}');
  });

  it("refuses config of the wrong type", async () => {
    await expect(run([echo], { config: { echo: { limit: "five" } } })).rejects.toThrow(
      /echo\.limit: expected integer/,
    );
  });
});

describe("unknown values, as during a preview", () => {
  it("turns a rule that reads an unknown into an advisory diagnostic, keeping what it reported first", async () => {
    const reader = resourceRule({
      name: "reader",
      description: "reads framework",
      ...meta,
      validateResource: (args, report) => {
        report("before");
        report(`framework ${String(args.props["framework"])}`);
      },
    });
    const report = await run([reader, always("other")]);
    expect(report.violations).toEqual([
      expect.objectContaining({
        policy: "reader",
        enforcement: "mandatory",
        urn: project.urn,
        message: "before",
      }),
      expect.objectContaining({
        policy: "reader",
        enforcement: "advisory",
        urn: project.urn,
        unknown: true,
        message:
          "can't run policy 'reader' from policy pack 'launchpad-security@v0.1.0' during preview: " +
          "string value at .framework can't be known during preview",
      }),
      expect.objectContaining({ policy: "other", enforcement: "mandatory" }),
    ]);
  });

  it("reports a stack rule stopped by an unknown on the stack", async () => {
    const stackReader = stackRule({
      name: "stack-reader",
      description: "reads every framework",
      ...meta,
      validateStack: (args) => void args.resources.map((r) => r.props["framework"]),
    });
    const report = await run([stackReader]);
    expect(report.violations).toEqual([
      expect.objectContaining({ enforcement: "advisory", urn: rootUrn(S), unknown: true }),
    ]);
  });
});

describe("what rules receive", () => {
  it("gives each validation a fresh copy of the properties", async () => {
    const mutator = resourceRule({
      name: "mutator",
      description: "mutates",
      ...meta,
      validateResource: (args, report) => {
        report(`name ${String(args.props["name"])}`);
        args.props["name"] = "changed";
      },
    });
    const report = await run([mutator, { ...mutator, name: "mutator-2" }]);
    expect(report.violations.map((v) => v.message)).toEqual(["name p-prod", "name p-prod"]);
  });

  it("links parents, dependencies, property dependencies and providers for stack rules", async () => {
    const app = resource(S, "launchpad:index:App", "app");
    const provider = resource(S, "pulumi:providers:github", "gh", { owner: "o" }, { parent: app });
    const child = resource(
      S,
      VERCEL.domain,
      "d",
      { projectId: "x" },
      { parent: app, from: { projectId: [project] }, provider },
    );
    let seen: PolicyResource | undefined;
    const graph = stackRule({
      name: "graph",
      description: "graph",
      ...meta,
      validateStack: (args) => {
        seen = args.resources.find((r) => r.name === "d");
      },
    });
    await run([graph], {}, [app, provider, project, child]);
    expect(seen?.parent?.name).toBe("app");
    expect(seen?.dependencies.map((r) => r.name)).toEqual(["p"]);
    expect(seen?.propertyDependencies["projectId"]?.map((r) => r.name)).toEqual(["p"]);
    expect(seen?.provider).toMatchObject({
      type: "pulumi:providers:github",
      name: "gh",
      props: { owner: "o" },
    });
    expect(seen?.opts).toMatchObject({ protect: false, parent: app.urn, additionalSecretOutputs: [] });
  });

  it("ends a validation quietly on notApplicable and honours typed validations", async () => {
    const skipper = resourceRule({
      name: "skipper",
      description: "skips",
      ...meta,
      validateResource: (args) => args.notApplicable("not mine"),
    });
    const typed = Object.assign((_: unknown, report: (m: string) => void) => report("typed"), {
      __pulumiType: VERCEL.domain,
    });
    const onlyDomains = resourceRule({
      name: "typed",
      description: "typed",
      ...meta,
      validateResource: typed,
    });
    expect((await run([skipper, onlyDomains])).violations).toEqual([]);
  });

  it("falls back to the description for an empty message, and propagates a rule's own errors", async () => {
    const silent = resourceRule({
      name: "silent",
      description: "said nothing",
      ...meta,
      validateResource: (_, r) => r(""),
    });
    expect((await run([silent])).violations[0]!.message).toBe("said nothing");
    const broken = resourceRule({
      name: "broken",
      description: "throws",
      ...meta,
      validateResource: () => {
        throw new Error("boom");
      },
    });
    await expect(run([broken])).rejects.toThrow(/Error validating resource with policy 'broken' .*: boom/);
  });
});
