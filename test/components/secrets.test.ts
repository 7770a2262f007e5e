import { beforeAll, describe, expect, it } from "vitest";
import { STAND_IN_MARKER } from "../../tools/engine/secret-stand-ins";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { evaluateAll, one, platformOf, STACKS, T, type Stack } from "./support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

/** Every string in a recorded value, with its path; secrets are already masked as `[secret]`. */
function strings(value: unknown, path = ""): Array<[string, string]> {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

function leaks(resource: RecordedResource): string[] {
  const fields: Array<[string, string]> = [
    ["name", resource.name],
    ["urn", resource.urn],
    ...strings(resource.inputs),
  ];
  return fields.filter(([, v]) => v.includes(STAND_IN_MARKER)).map(([p]) => `${resource.name}: ${p}`);
}

describe("secrets stay secret", () => {
  it.each(STACKS)("%s: no stand-in secret value appears in a non-secret input, name or output", (stack) => {
    const evaluation = stacks[stack];
    expect(evaluation.resources.length).toBeGreaterThan(50);
    expect(evaluation.resources.flatMap(leaks)).toEqual([]);
    expect(JSON.stringify(evaluation.outputs)).not.toContain(STAND_IN_MARKER);
  });

  it.each(STACKS)("%s: every input fed from a secret is recorded as secret", (stack) => {
    const evaluation = stacks[stack];
    let checked = 0;
    for (const [app, spec] of Object.entries(platformOf(stack).apps)) {
      for (const key of spec.frontend?.secretEnv ?? []) {
        const variable = one(
          evaluation,
          T.envVar,
          `${app}-frontend-env-${key.toLowerCase().replace(/_/g, "-")}`,
        );
        expect(variable.secretInputs).toContain("value");
        checked++;
      }
      for (const name of spec.ciSecrets) {
        const secret = one(
          evaluation,
          T.ciSecret,
          `${app}-repository-secret-${name.toLowerCase().replace(/_/g, "-")}`,
        );
        expect(secret.secretInputs).toContain("value");
        checked++;
      }
      expect(one(evaluation, T.webhook, `${app}-alerts-github-webhook`).secretInputs).toContain(
        "configuration",
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it("the scan would see a leak: stand-ins carry the marker and secrets are masked, not dropped", () => {
    const secret = one(stacks.prod, T.ciSecret, "mapquiz-repository-secret-fly-api-token");
    expect(secret.inputs["value"]).toBe("[secret]");
    expect(leaks({ ...secret, inputs: { value: `x-${STAND_IN_MARKER}-y` } })).toEqual([
      "mapquiz-repository-secret-fly-api-token: value",
    ]);
  });
});
