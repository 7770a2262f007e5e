import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs a script in a fresh Node process from the project root and returns what it printed. */
function runNode(script: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const SETUP = `
  const { types } = require("node:util");
  const sdk = require("node:path").dirname(require.resolve("@pulumi/pulumi"));
  const file = (request) => require.resolve(request, { paths: [sdk] });
  const deferred = (request) => types.isProxy(require.cache[file(request)].exports);
  const loadedUnder = (dir) => Object.keys(require.cache).some((f) => f.includes(dir));
  require("./tools/engine/deferred-modules").deferUnusedSdkModules();
  const pulumi = require("@pulumi/pulumi");
`;

describe("the SDK's modules an offline evaluation does not use, deferred in a worker", () => {
  it("are not loaded with the SDK", () => {
    const seen = runNode(`${SETUP}
      process.stdout.write(JSON.stringify({
        typescript: deferred("typescript"),
        serializer: deferred("./runtime/closure/serializeClosure"),
        automation: deferred("./automation"),
        providerServer: deferred("./provider"),
        arborist: loadedUnder("@npmcli/arborist/lib/arborist/"),
        closureCode: loadedUnder("runtime/closure/createClosure"),
        automationCode: loadedUnder("automation/localWorkspace"),
      }));`);
    expect(seen).toEqual({
      typescript: true,
      serializer: true,
      automation: true,
      providerServer: true,
      arborist: false,
      closureCode: false,
      automationCode: false,
    });
  });

  it("load on first use and behave as the real modules", () => {
    const seen = runNode(`${SETUP}
      const ts = require("@pulumi/pulumi/typescript-shim");
      const source = ts.createSourceFile("f.ts", "const x = 1;", ts.ScriptTarget.Latest);
      const { Arborist } = require("@npmcli/arborist");
      process.stdout.write(JSON.stringify({
        version: ts.version,
        statements: source.statements.length,
        typescript: deferred("typescript"),
        arborist: typeof Arborist,
        workspace: typeof pulumi.automation.LocalWorkspace,
        automation: deferred("./automation"),
      }));`);
    expect(seen).toEqual({
      version: require("typescript/package.json").version,
      statements: 1,
      typescript: false,
      arborist: "function",
      workspace: "function",
      automation: false,
    });
  });

  it("serialize a closure through the SDK's re-export, and keep a member set before they load", async () => {
    const seen = runNode(`${SETUP}
      const closure = require(file("./runtime/closure/serializeClosure"));
      const own = closure.serializeFunction;
      closure.serializeFunction = (...args) => own(...args).then((s) => ({ ...s, replaced: true }));
      const before = deferred("./runtime/closure/serializeClosure");
      const factor = 3;
      pulumi.runtime.serializeFunction((x) => x * factor).then(async (direct) => {
        const viaModule = await require(file("./runtime/closure/serializeClosure")).serializeFunction(() => 1);
        process.stdout.write(JSON.stringify({
          before,
          after: deferred("./runtime/closure/serializeClosure"),
          captured: direct.text.includes("factor: 3"),
          replaced: viaModule.replaced === true,
        }));
      });`);
    expect(seen).toEqual({ before: true, after: false, captured: true, replaced: true });
  });
});
