import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_NAME } from "../../infra/config";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import { isCleanlySerialized } from "../../tools/engine/provider-code";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { serveEngine, type ServedEngine } from "./engine-server";
import { runProgram, type ProgramRun } from "./run-program";

const STACKS = ["dev", "qa", "prod"] as const;
/** LogSeverity.ERROR in the engine's protocol. */
const ERROR = 3;
/** Each run serializes every dynamic provider's code, as `pulumi up` does: tens of seconds. */
const RUN_TIMEOUT_MS = 600_000;

interface EntryRun {
  run: ProgramRun;
  engine: ServedEngine;
  offline: StackEvaluation;
}

const runs = {} as Record<(typeof STACKS)[number], EntryRun>;

beforeAll(async () => {
  // The offline engine first (one runtime per process), then the three real entries side by side.
  const offline = {} as Record<string, StackEvaluation>;
  for (const stack of STACKS) offline[stack] = await evaluateStack(stack);
  await Promise.all(
    STACKS.map(async (stack) => {
      const engine = await serveEngine(stack, PROJECT_NAME);
      // ts-node without its type check: `npm run typecheck` is where types are checked.
      const run = await runProgram(stack, engine.address, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
      runs[stack] = { run, engine, offline: offline[stack]! };
    }),
  );
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(Object.values(runs).map((r) => r.engine.close()));
});

/**
 * A resource by type and name, which a stack keeps unique. URNs are not compared: the engine
 * qualifies a type with every ancestor's (`App$Alerts$RepositoryWebhook`), Pulumi's mock monitor
 * with the parent's alone.
 */
const key = (r: Pick<RecordedResource, "type" | "name">): string => `${r.type}::${r.name}`;

/** Each resource as [itself, its parent], by type and name; the stack root as "root". */
function tree(resources: readonly RecordedResource[]): string[][] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => {
      const parent = byUrn.get(r.parent);
      return [key(r), parent && parent.type !== "pulumi:pulumi:Stack" ? key(parent) : "root"];
    });
}

describe.each(STACKS)("the program started as `pulumi up` starts it, in %s", (stack) => {
  it("exits 0 with no error logged, under the stack's root resource", () => {
    const { run, engine } = runs[stack];
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(engine.logs.filter((l) => l.severity >= ERROR)).toEqual([]);
    const root = engine.recorded[0]!;
    expect(root).toMatchObject({ type: "pulumi:pulumi:Stack", name: `${PROJECT_NAME}-${stack}`, parent: "" });
  });

  it("registers the same resources, with the same parents, as the offline engine", () => {
    const { engine, offline } = runs[stack];
    const real = tree(engine.recorded);
    expect(real.length).toBeGreaterThan(0);
    // Every parent is registered before its children, under the engine's own URN for it.
    for (const r of engine.recorded.slice(1)) {
      expect(engine.recorded.findIndex((p) => p.urn === r.parent)).toBeGreaterThanOrEqual(0);
    }
    expect(new Map(real.map(([r, p]) => [r, p]))).toEqual(
      new Map(tree(offline.resources).map(([r, p]) => [r, p])),
    );
    expect(real).toHaveLength(offline.resources.length);
  });

  it("sends the same inputs as secrets, config secrets included", () => {
    const { engine, offline } = runs[stack];
    const secrets = (rs: RecordedResource[]) =>
      Object.fromEntries(
        rs.filter((r) => r.secretInputs.length > 0).map((r) => [key(r), [...r.secretInputs].sort()]),
      );
    const real = secrets(engine.recorded.slice(1));
    expect(Object.keys(real).length).toBeGreaterThan(0);
    expect(real).toEqual(secrets(offline.resources));
    const outputs = (rs: readonly RecordedResource[]) =>
      Object.fromEntries(rs.map((r) => [key(r), [...r.additionalSecretOutputs].sort()]));
    expect(outputs(engine.recorded.slice(1))).toEqual(outputs(offline.resources));
  });

  it("serializes each dynamic provider's code, capturing no secret value", () => {
    const { engine } = runs[stack];
    const dynamic = engine.recorded.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBeGreaterThan(0);
    for (const r of dynamic) expect(isCleanlySerialized(r.inputs["__provider"])).toBe(true);
  });
});
