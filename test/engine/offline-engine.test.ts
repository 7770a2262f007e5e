import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateStacks, STAND_IN_MARKER, type StackEvaluation, type StackOutcome } from "../../tools/engine";
import { catalogAppNames } from "../support/catalog";
import { copyProject, editFile } from "../support/config-fixtures";

function evaluation(outcome: StackOutcome | undefined): StackEvaluation {
  if (!outcome?.ok) throw new Error(`stack did not evaluate: ${JSON.stringify(outcome)}`);
  return outcome.evaluation;
}

describe("the offline engine on the shipped stacks", () => {
  let outcomes: StackOutcome[];
  const settled: string[] = [];

  beforeAll(async () => {
    // A thread per stack; the test below compares it with one thread taking the stacks in turn.
    outcomes = await evaluateStacks(["dev", "qa", "prod"], { threads: 3 }, (o) => settled.push(o.stack));
  });

  it("evaluates every stack and reports each as it settles", () => {
    expect(outcomes.map((o) => [o.stack, o.ok])).toEqual([
      ["dev", true],
      ["qa", true],
      ["prod", true],
    ]);
    expect([...settled].sort()).toEqual(["dev", "prod", "qa"]);
  });

  it.each(["dev", "qa", "prod"])(
    "%s declares one App component per catalog app, at the stack root",
    (stack) => {
      const result = evaluation(outcomes.find((o) => o.stack === stack));
      const apps = result.resources.filter((r) => r.type === "launchpad:index:App");
      expect(apps.map((a) => a.name)).toEqual(catalogAppNames(stack));
      for (const app of apps) {
        expect(app.urn).toBe(
          `urn:pulumi:${stack}::launchpad::pulumi:pulumi:Stack$launchpad:index:App::${app.name}`,
        );
        expect(app.parent).toBe(`urn:pulumi:${stack}::launchpad::pulumi:pulumi:Stack::launchpad-${stack}`);
      }
    },
  );

  it("gives the same result when one thread evaluates the stacks one after another", async () => {
    const inTurn = await evaluateStacks(["dev", "qa", "prod"], { threads: 1 });
    expect(inTurn).toEqual(outcomes);
  });

  it("registers the apps one after another: every resource of an app before any of the next", () => {
    const { resources } = evaluation(outcomes[2]);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const appOf = (urn: string): string | undefined => {
      for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent)) {
        if (r.type === "launchpad:index:App") return r.name;
      }
      return undefined;
    };
    const runs: string[] = [];
    for (const resource of resources) {
      const app = appOf(resource.urn);
      if (app && runs[runs.length - 1] !== app) runs.push(app);
    }
    expect(runs).toEqual(catalogAppNames(outcomes[2]!.stack));
  });

  it("records every resource's parent as a resource of the same stack or the stack root", () => {
    for (const outcome of outcomes) {
      const result = evaluation(outcome);
      const urns = new Set(result.resources.map((r) => r.urn));
      const root = `urn:pulumi:${result.stack}::launchpad::pulumi:pulumi:Stack::launchpad-${result.stack}`;
      for (const resource of result.resources) {
        expect(
          resource.parent === root || urns.has(resource.parent),
          `${resource.urn} has parent ${resource.parent}`,
        ).toBe(true);
      }
    }
  });

  it("exports each app's URL, per environment", () => {
    expect(evaluation(outcomes[0]).outputs["apps"]).toMatchObject({
      mapquiz: { url: "https://mapquiz.dev.launchpad-fleet.app" },
    });
    expect(evaluation(outcomes[2]).outputs["apps"]).toMatchObject({
      mapquiz: { url: "https://api.mapquiz.app" },
    });
  });

  it("never records a stood-in secret value outside an input marked secret", () => {
    for (const outcome of outcomes) {
      const result = evaluation(outcome);
      expect(JSON.stringify(result.resources)).not.toContain(STAND_IN_MARKER);
      expect(JSON.stringify(result.outputs)).not.toContain(STAND_IN_MARKER);
    }
  });
});

describe("the offline engine on invalid or incomplete config", () => {
  it("returns the config problems, located, and registers nothing", async () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      "memoryMb: 512\n            maxMemoryMb: 512",
      "memoryMb: lots\n            maxMemoryMb: 512",
    );
    const [outcome] = await evaluateStacks(["prod"], { projectDir: dir });
    expect(outcome).toEqual({
      stack: "prod",
      ok: false,
      configIssues: [
        {
          file: "Pulumi.yaml",
          key: "launchpad:apps.mapquiz.services.api.memoryMb",
          message: 'expected a number, got "lots"',
          stack: "prod",
        },
      ],
    });
  });

  it("fails only the invalid stack: the thread goes on with the next one", async () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.prod.yaml", "replicas: 2 }", "replicas: two }");
    const outcomes = await evaluateStacks(["prod", "dev"], { projectDir: dir, threads: 1 });
    expect(outcomes.map((o) => [o.stack, o.ok])).toEqual([
      ["prod", false],
      ["dev", true],
    ]);
    expect(outcomes[0]).toMatchObject({
      configIssues: [{ file: "Pulumi.prod.yaml", key: "launchpad:environment.defaults.replicas" }],
    });
  });

  it("fails only the stack whose thread stopped: the next stack gets a fresh thread", async () => {
    const analyzer = path.join(__dirname, "fixtures", "exiting-analyzer.ts");
    const stopped = await evaluateStacks(["dev", "qa"], { analyzer, threads: 1 });
    expect(stopped[0]).toEqual({ stack: "dev", ok: false, error: "stack evaluation stopped (exit code 3)" });
    // The fresh thread evaluated qa whole and ran the analyzer on it.
    const qa = evaluation(stopped[1]);
    expect(qa.stack).toBe("qa");
    expect(qa.resources.length).toBeGreaterThan(0);
    expect(stopped[1]).toMatchObject({ analysis: { resources: qa.resources.length } });
  });

  it("with requireSecrets, lists the commands that set the missing secrets", async () => {
    const [outcome] = await evaluateStacks(["qa"], { requireSecrets: true });
    expect(outcome?.ok).toBe(false);
    const issues = outcome && !outcome.ok && "configIssues" in outcome ? outcome.configIssues : [];
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain(
      "pulumi config set --secret --stack qa --path 'launchpad:secrets.mona-spark.JWT_SECRET' <value>",
    );
  });
});

describe("dynamic providers, serialized as pulumi up ships them", () => {
  it("serialize for every dynamic resource of prod and capture no secret value", async () => {
    const [outcome] = await evaluateStacks(["prod"], { serializeProviders: true });
    const dynamic = evaluation(outcome).resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(new Set(dynamic.map((r) => r.type.split(":")[1]))).toEqual(
      new Set(["dynamic/fly", "dynamic/postgres", "dynamic/supabase"]),
    );
    for (const resource of dynamic) {
      expect(resource.inputs["__provider"], resource.urn).toMatch(
        /^\[serialized provider, \d+ characters\]$/,
      );
    }
  });

  it("are left unserialized by default, which the recorded input says", async () => {
    const [outcome] = await evaluateStacks(["dev"]);
    const dynamic = evaluation(outcome).resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBeGreaterThan(0);
    for (const resource of dynamic)
      expect(resource.inputs["__provider"]).toBe("[dynamic provider: not serialized offline]");
  });
});
