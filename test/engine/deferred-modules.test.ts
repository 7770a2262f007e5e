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
  const tsFile = require.resolve("typescript", { paths: [sdk] });
  const deferred = () => types.isProxy(require.cache[tsFile].exports);
  const arboristLoaded = () => Object.keys(require.cache).some((f) => f.includes("@npmcli/arborist/lib/arborist/"));
  require("./tools/engine/deferred-modules").deferSerializationModules();
  require("@pulumi/pulumi");
`;

describe("the SDK's serialization-only dependencies, deferred in a worker", () => {
  it("are not loaded with the SDK", () => {
    const seen = runNode(`${SETUP}
      process.stdout.write(JSON.stringify({ deferred: deferred(), arborist: arboristLoaded() }));`);
    expect(seen).toEqual({ deferred: true, arborist: false });
  });

  it("load on first use and behave as the real modules", () => {
    const seen = runNode(`${SETUP}
      const ts = require("@pulumi/pulumi/typescript-shim");
      const file = ts.createSourceFile("f.ts", "const x = 1;", ts.ScriptTarget.Latest);
      const { Arborist } = require("@npmcli/arborist");
      process.stdout.write(JSON.stringify({
        version: ts.version,
        statements: file.statements.length,
        deferred: deferred(),
        arborist: typeof Arborist,
      }));`);
    expect(seen).toEqual({
      version: require("typescript/package.json").version,
      statements: 1,
      deferred: false,
      arborist: "function",
    });
  });
});
