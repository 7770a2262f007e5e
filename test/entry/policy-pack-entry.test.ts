import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_NAME } from "../../infra/config";
import { EXEMPTIONS_RULE, evaluatePolicies, type PolicyReport } from "../../policies/evaluate";
import { policies } from "../../policies/rules";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { serveEngine, type ServedEngine } from "./engine-server";
import { servePolicyPack, type Diagnostic, type ServedPack } from "./policy-pack-server";
import { ROOT } from "./run-program";

const STACKS = ["dev", "qa", "prod"] as const;
const STARTUP_TIMEOUT_MS = 600_000;

interface PackRun {
  evaluation: StackEvaluation;
  audit: PolicyReport;
  answers: Diagnostic[];
}

const runs = {} as Record<(typeof STACKS)[number], PackRun>;
const served: Array<{ engine: ServedEngine; pack: ServedPack }> = [];

beforeAll(async () => {
  for (const stack of STACKS) {
    const evaluation = await evaluateStack(stack);
    const engine = await serveEngine(stack, PROJECT_NAME);
    const pack = await servePolicyPack(engine.address);
    served.push({ engine, pack });
    // What `--policy-pack-config policies/config/<stack>.json` hands the pack.
    await pack.configure(
      JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${stack}.json`), "utf8")),
    );
    const answers = await pack.analyzePreview(evaluation.resources);
    runs[stack] = { evaluation, audit: await evaluatePolicies(evaluation), answers };
  }
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  for (const { engine, pack } of served) {
    pack.close();
    await engine.close();
  }
});

const line = (d: Diagnostic): string => `${d.enforcement} ${d.policy} ${d.urn}: ${d.message}`;

/** The analyzer puts the rule's description before each message. */
function described(policy: string, message: string): string {
  const rule = [...policies, EXEMPTIONS_RULE].find((p) => p.name === policy);
  return `${rule?.description ?? "?"}\n${message}`;
}

/** What `launchpad audit` reports, in the analyzer's words (a waived violation is advisory, with its reason). */
function auditAsAnalyzer(report: PolicyReport): string[] {
  const standing = report.violations
    // Stale exemptions need every rule's findings at once: only the offline audit reports them.
    .filter((v) => !(v.policy === EXEMPTIONS_RULE.name && v.message.startsWith("stale exemption")))
    .map((v) =>
      line({
        policy: v.policy,
        enforcement: v.enforcement,
        urn: v.urn,
        message: described(v.policy, v.message),
      }),
    );
  const waived = report.exemptions.map((e) =>
    line({
      policy: e.policy,
      enforcement: "advisory",
      urn: e.urn,
      // Reported as a diagnostic object, which the analyzer passes on without the description.
      message: `exempt until ${e.expires} (${e.reason}): ${e.message}`,
    }),
  );
  return [...standing, ...waived].sort();
}

describe.each(STACKS)("the policy pack served as the Pulumi CLI serves it, in %s", (stack) => {
  it("answers Analyze and AnalyzeStack for the whole stack as `launchpad audit` does", () => {
    const { answers, audit } = runs[stack];
    expect(answers.map(line).sort()).toEqual(auditAsAnalyzer(audit));
  });

  it("runs its rules at the stack's levels: a violation planted in the stack is reported", async () => {
    const { evaluation } = runs[stack];
    const pack = served[STACKS.indexOf(stack)]!.pack;
    // A repository-wide Actions secret, which checklist item 2 refuses in every stack.
    const repository = evaluation.resources.find((r) => r.type === "launchpad:github:Repository")!;
    const planted = {
      ...repository,
      type: "github:index/actionsSecret:ActionsSecret",
      name: "planted-secret",
      urn: `${repository.urn}$github:index/actionsSecret:ActionsSecret::planted-secret`,
      parent: repository.urn,
      custom: true,
      inputs: { repository: "r", secretName: "TOKEN", value: "[secret]" },
      secretInputs: ["value"],
    };
    const answers = await pack.analyzePreview([...evaluation.resources, planted]);
    const audit = await evaluatePolicies({ stack, resources: [...evaluation.resources, planted] });
    expect(answers.map(line).sort()).toEqual(auditAsAnalyzer(audit));
    expect(answers.filter((a) => a.urn === planted.urn).map((a) => a.policy)).toContain(
      "secrets-in-secrets-manager",
    );
  });
});
