import { describe, expect, it } from "vitest";
import { checkSerializedProviders } from "../../tools/cli/provider-check";
import type { RecordedResource, StackEvaluation } from "../../tools/engine";
import { describeProviderCode, NOT_SERIALIZED } from "../../tools/engine/provider-code";
import { STAND_IN_MARKER } from "../../tools/engine/stand-in-marker";

function dynamic(name: string, providerCode: unknown): RecordedResource {
  return {
    type: "pulumi-nodejs:dynamic/fly:Machine",
    name,
    urn: `urn:pulumi:prod::launchpad::pulumi-nodejs:dynamic/fly:Machine::${name}`,
    parent: "",
    custom: true,
    inputs: { __provider: describeProviderCode(providerCode), region: "cdg" },
    secretInputs: [],
    protect: false,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    dependsOn: [],
    propertyDependencies: {},
    provider: "",
  };
}
const stack = (resources: RecordedResource[]): StackEvaluation => ({ stack: "prod", resources, outputs: {} });
const CODE = "exports.handler = __f0;\nfunction __f0() { return 1; }";

describe("checking dynamic providers serialized by plan --serialize-providers", () => {
  it("counts the providers that serialized cleanly", () => {
    expect(checkSerializedProviders([stack([dynamic("a", CODE), dynamic("b", CODE)])])).toEqual({
      ok: true,
      lines: [
        "prod: the provider code of 2 dynamic resources serialized as `pulumi up` ships it, none capturing a secret",
      ],
    });
  });

  it("names each resource whose provider captured a secret value, or was not serialized", () => {
    const captured = `${CODE}\nconst token = "${STAND_IN_MARKER}-mapquiz-fly-api-token";`;
    const check = checkSerializedProviders([
      stack([dynamic("clean", CODE), dynamic("leaky", captured), dynamic("skipped", NOT_SERIALIZED)]),
    ]);
    expect(check.ok).toBe(false);
    expect(check.lines).toEqual([
      "launchpad: prod: urn:pulumi:prod::launchpad::pulumi-nodejs:dynamic/fly:Machine::leaky: [serialized provider capturing a secret value]",
      "launchpad: prod: urn:pulumi:prod::launchpad::pulumi-nodejs:dynamic/fly:Machine::skipped: [dynamic provider: not serialized offline]",
    ]);
  });

  it("fails a provider whose code came as a Pulumi secret", () => {
    const check = checkSerializedProviders([stack([dynamic("wrapped", { secret: CODE })])]);
    expect(check.lines).toEqual([
      "launchpad: prod: urn:pulumi:prod::launchpad::pulumi-nodejs:dynamic/fly:Machine::wrapped: [serialized provider holding a Pulumi secret]",
    ]);
  });
});
