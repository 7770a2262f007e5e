import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

type Wrapper = (exports: object, require: unknown, module: object, file: string, dir: string) => void;
interface CodeCache {
  compileWithCodeCache(
    filename: string,
    content: string,
    cacheDir: string,
  ): { wrapper: Wrapper; cache: "hit" | "miss" | "rejected"; store(): void };
  codeCacheFile(cacheDir: string, filename: string, content: string): string;
}
const codeCache = require("../../tools/loader/code-cache") as CodeCache;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-code-cache-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Compiles and runs a module through the code cache; returns its exports and what the cache did. */
function load(content: string, cacheDir = path.join(dir, "cache"), filename = "/pkg/index.js") {
  const { wrapper, cache, store } = codeCache.compileWithCodeCache(filename, content, cacheDir);
  const module = { exports: {} as Record<string, unknown> };
  wrapper(module.exports, require, module, filename, path.dirname(filename));
  store();
  return { exports: module.exports, cache };
}

const MODULE = "exports.answer = function answer() { return 42; };";

describe("compiling a package module with V8's code cache", () => {
  it("compiles it the first time, then hands V8 the code it kept", () => {
    expect(load(MODULE).cache).toBe("miss");
    const second = load(MODULE);
    expect(second.cache).toBe("hit");
    expect((second.exports["answer"] as () => number)()).toBe(42);
  });

  it("replaces kept code V8 refuses, and uses the new code next time", () => {
    // Each in a process of its own: V8 would otherwise reuse what it compiled in this one.
    const inFreshProcess = (): { cache: string; file: string } => {
      const script = `const { compileWithCodeCache, codeCacheFile } = require("./tools/loader/code-cache");
        const args = ["/pkg/index.js", ${JSON.stringify(MODULE)}];
        const { cache, store } = compileWithCodeCache(...args, ${JSON.stringify(path.join(dir, "cache"))});
        store();
        process.stdout.write(JSON.stringify({ cache, file: codeCacheFile(${JSON.stringify(path.join(dir, "cache"))}, ...args) }));`;
      const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
      return JSON.parse(run.stdout) as { cache: string; file: string };
    };
    const first = inFreshProcess();
    expect(first.cache).toBe("miss");
    fs.writeFileSync(first.file, "not code V8 made");
    expect(inFreshProcess().cache).toBe("rejected");
    expect(inFreshProcess().cache).toBe("hit");
  });

  it("never runs the code kept for another content of the module", () => {
    load("exports.version = '1.0.0';");
    // Same length: V8's own check of the cached code would not tell them apart.
    const changed = load("exports.version = '1.0.1';");
    expect(changed.cache).toBe("miss");
    expect(changed.exports["version"]).toBe("1.0.1");
  });

  it("keeps code compiled under other Node flags apart, since V8 would refuse it", () => {
    const fileUnder = (flags: string[]): string => {
      const script = `process.stdout.write(require("./tools/loader/code-cache").codeCacheFile("/c", "/pkg/index.js", "x"))`;
      return spawnSync(process.execPath, [...flags, "-e", script], { cwd: ROOT, encoding: "utf8" }).stdout;
    };
    const plain = fileUnder([]);
    expect(plain).toMatch(/^\/c\/[0-9a-f]{64}\.bin$/);
    expect(fileUnder(["--max-semi-space-size=16"])).not.toBe(plain);
    expect(fileUnder([])).toBe(plain);
  });

  it("compiles a module that starts with a shebang", () => {
    expect(load(`#!/usr/bin/env node\n${MODULE}`).exports["answer"]).toBeTypeOf("function");
  });

  it("still loads the module when the cache cannot be written", () => {
    const blocked = path.join(dir, "not-a-directory");
    fs.writeFileSync(blocked, "");
    expect(load(MODULE, blocked).cache).toBe("miss");
    expect(load(MODULE, blocked).cache).toBe("miss");
  });
});

describe("a thread that loads its packages through the code cache", () => {
  /** A package that uses what Node gives a module, and a project file beside it. */
  function project(): { main: string; cacheDir: string } {
    const pkg = path.join(dir, "node_modules", "pkg");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "helper.js"), "module.exports = (x) => x * 2;");
    fs.writeFileSync(
      path.join(pkg, "index.js"),
      `const helper = require("./helper");
       module.exports = {
         doubled: helper(21),
         dirname: __dirname,
         filename: __filename,
         resolved: require.resolve("./helper"),
         sameCache: require.cache === require("node:module")._cache,
       };`,
    );
    const main = path.join(dir, "main.js");
    fs.writeFileSync(main, `process.stdout.write(JSON.stringify(require("pkg")));`);
    return { main, cacheDir: path.join(dir, "cache") };
  }

  function run(main: string, cacheDir: string): Record<string, unknown> {
    const script = `require(${JSON.stringify(path.join(ROOT, "tools/loader/code-cache"))}).useCodeCacheForPackages(${JSON.stringify(cacheDir)});
      require(${JSON.stringify(main)});`;
    const child = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as Record<string, unknown>;
  }

  it("runs them as Node would, and keeps the code of the package's modules only", () => {
    const { main, cacheDir } = project();
    const pkg = path.join(dir, "node_modules", "pkg");
    const expected = {
      doubled: 42,
      dirname: pkg,
      filename: path.join(pkg, "index.js"),
      resolved: path.join(pkg, "helper.js"),
      sameCache: true,
    };
    expect(run(main, cacheDir)).toEqual(expected);
    // index.js and helper.js of the package; not main.js, which is the project's.
    expect(fs.readdirSync(cacheDir)).toHaveLength(2);
    expect(run(main, cacheDir)).toEqual(expected);
  });
});
