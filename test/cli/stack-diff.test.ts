import { describe, expect, it } from "vitest";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { diffProperties, type SecretSide } from "../../tools/cli/property-diff";
import { registryReplacements, REPLACE_ON_CHANGE } from "../../tools/cli/replace-inputs";
import { diffStack, type DynamicDiff } from "../../tools/cli/stack-diff";

function resource(
  name: string,
  type: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::launchpad::${type}::${name}`,
    parent: "urn:pulumi:dev::launchpad::pulumi:pulumi:Stack::launchpad-dev",
    custom: true,
    inputs,
    secretInputs: [],
    secretDigests: {},
    protect: false,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    dependsOn: [],
    propertyDependencies: {},
    provider: "",
    ...extra,
  };
}

const stack = (resources: RecordedResource[], outputs: Record<string, unknown> = {}): StackEvaluation => ({
  stack: "dev",
  resources,
  outputs,
});

const noDynamic: DynamicDiff = async () => ({ replaces: [] });

describe("property diff", () => {
  it("reports nested paths and arrays element by element", () => {
    expect(
      diffProperties({ a: { b: 1, c: [1, 2, 3] }, gone: true }, { a: { b: 2, c: [1, 5] }, added: "x" }),
    ).toEqual([
      { path: "a.b", before: 1, after: 2 },
      { path: "a.c[1]", before: 2, after: 5 },
      { path: "a.c[2]", before: 3 },
      { path: "added", after: "x" },
      { path: "gone", before: true },
    ]);
    expect(diffProperties({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it("masks secrets on both sides and judges change only from stand-in digests", () => {
    const side = (digest?: string, secret = true): SecretSide => ({
      paths: new Set(secret ? ["token"] : []),
      digests: digest ? { token: digest } : {},
    });
    const masked = { token: "[secret]" };
    expect(diffProperties(masked, masked, { before: side("a"), after: side("b") })).toEqual([
      { path: "token", before: "[secret]", after: "[secret]", secret: "changed" },
    ]);
    expect(diffProperties(masked, masked, { before: side("a"), after: side("a") })).toEqual([]);
    // A real secret has no digest: offline cannot tell, so nothing is claimed.
    expect(diffProperties(masked, masked, { before: side(), after: side() })).toEqual([]);
    // Secret → plain: flagged, and the plain value is not shown either.
    expect(
      diffProperties(masked, { token: "hunter2" }, { before: side("a"), after: side(undefined, false) }),
    ).toEqual([{ path: "token", before: "[secret]", after: "[secret]", secret: "became-plain" }]);
  });
});

describe("stack diff", () => {
  it("sorts resources into added, removed, replaced (registry rules) and changed", async () => {
    const type = "github:index/repositoryEnvironment:RepositoryEnvironment";
    const before = stack(
      [
        resource("kept", type, { repository: "r", environment: "dev", waitTimer: 0 }),
        resource("moved", type, { repository: "r", environment: "dev" }),
        resource("gone", type, { repository: "r", environment: "qa" }, { protect: true }),
      ],
      { url: "a" },
    );
    const after = stack(
      [
        resource("kept", type, { repository: "r", environment: "dev", waitTimer: 5 }),
        resource("moved", type, { repository: "s", environment: "dev" }),
        resource("new", type, { repository: "r", environment: "prod" }),
      ],
      { url: "b" },
    );
    const diff = await diffStack(before, after, noDynamic);
    expect(diff.added.map((r) => r.name)).toEqual(["new"]);
    expect(diff.removed).toEqual([expect.objectContaining({ name: "gone", protect: true })]);
    expect(diff.replaced).toEqual([
      expect.objectContaining({
        name: "moved",
        replaceInputs: ["repository"],
        changes: [{ path: "repository", before: "r", after: "s" }],
      }),
    ]);
    expect(diff.changed).toEqual([
      expect.objectContaining({ name: "kept", changes: [{ path: "waitTimer", before: 0, after: 5 }] }),
    ]);
    expect(diff.outputs).toEqual([{ path: "url", before: "a", after: "b" }]);
  });

  it("asks a dynamic provider's own diff, and says so when it cannot judge", async () => {
    const type = "pulumi-nodejs:dynamic/fly:Machine";
    const before = stack([resource("m", type, { region: "cdg" }), resource("n", type, { size: 1 })]);
    const after = stack([resource("m", type, { region: "ams" }), resource("n", type, { size: 2 })]);
    const dynamic: DynamicDiff = async (_type, olds, news) =>
      olds["region"] !== news["region"] ? { replaces: ["region"] } : { error: "boom" };
    const diff = await diffStack(before, after, dynamic);
    expect(diff.replaced.map((r) => [r.name, r.replaceInputs])).toEqual([["m", ["region"]]]);
    expect(diff.changed.map((r) => [r.name, r.replaceUnknown])).toEqual([["n", "boom"]]);
  });

  it("flags a secret input that became plain", async () => {
    const type = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable";
    const before = stack([
      resource("v", type, { value: "[secret]" }, { secretInputs: ["value"], secretDigests: { value: "d" } }),
    ]);
    const after = stack([resource("v", type, { value: "plain-now" })]);
    const diff = await diffStack(before, after, noDynamic);
    expect(diff.secretsMadePlain).toEqual([{ urn: before.resources[0]!.urn, path: "value" }]);
    expect(JSON.stringify(diff)).not.toContain("plain-now");
  });

  it("applies the registry rules as recorded, including inputs replaced only together", () => {
    const policy = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
    expect(registryReplacements(policy, new Set(["branchPattern"]))).toEqual([]);
    expect(registryReplacements(policy, new Set(["branchPattern", "tagPattern"]))).toEqual([
      "branchPattern",
      "tagPattern",
    ]);
    expect(registryReplacements("postgresql:index/role:Role", new Set(["name", "password"]))).toEqual([]);
    expect(REPLACE_ON_CHANGE["postgresql:index/grant:Grant"]).toContain("objectType");
  });
});

describe("replacement rules cover what the stacks declare", () => {
  it("has a rule for every provider resource type of every stack", async () => {
    const { spawnSync } = await import("node:child_process");
    const path = await import("node:path");
    const { DYNAMIC_PROVIDERS, isDynamicType } = await import("../../tools/cli/dynamic-replacements");
    const providerModules = {
      fly: (await import("../../infra/providers/fly")) as unknown as Record<string, { diff?: unknown }>,
      postgres: (await import("../../infra/providers/postgres")) as unknown as Record<
        string,
        { diff?: unknown }
      >,
      supabase: (await import("../../infra/providers/supabase")) as unknown as Record<
        string,
        { diff?: unknown }
      >,
    };
    const root = path.resolve(__dirname, "..", "..");
    const run = spawnSync(
      process.execPath,
      [path.join(root, "bin", "launchpad.js"), "plan", "--format", "json"],
      {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const plan = JSON.parse(run.stdout) as {
      stacks: Array<{ resources: Array<{ type: string; inputs?: unknown }> }>;
    };
    const types = [...new Set(plan.stacks.flatMap((s) => s.resources.map((r) => r.type)))];
    const registry = types.filter((t) => !t.startsWith("launchpad:") && !t.startsWith("pulumi:providers:"));
    expect(registry.length).toBeGreaterThan(0);
    for (const type of registry) {
      if (isDynamicType(type)) {
        const [module, exported] = DYNAMIC_PROVIDERS[type] ?? [];
        expect(Object.keys(DYNAMIC_PROVIDERS), type).toContain(type);
        expect(typeof providerModules[module!][exported!]?.diff, type).toBe("function");
      } else {
        expect(Object.keys(REPLACE_ON_CHANGE), type).toContain(type);
      }
    }
  });
});
