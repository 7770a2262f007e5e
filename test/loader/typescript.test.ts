import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

interface Loader {
  compileTypeScript(
    filename: string,
    source: string,
    settings?: { cacheDir?: string; options?: Record<string, unknown> },
  ): string;
  transformOptions(tsconfigFile?: string): { tsconfigRaw: { compilerOptions: unknown } };
  cacheKey(filename: string, source: string, options: unknown, version: string): string;
}
const loader = require("../../tools/loader/typescript") as Loader;

const SOURCE = `interface Greeting { to: string }\nexport const greet = (g: Greeting): string => "hello " + g.to;\n`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-loader-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Loads compiled CommonJS the way require() would, and returns its exports. */
function evaluate(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function("module", "exports", code)(module, module.exports);
  return module.exports;
}

describe("compiling a TypeScript module", () => {
  it("strips the types and gives CommonJS that runs", () => {
    const code = loader.compileTypeScript("/src/greet.ts", SOURCE, { cacheDir: dir });
    expect(code).not.toContain("interface");
    expect((evaluate(code)["greet"] as (g: { to: string }) => string)({ to: "qa" })).toBe("hello qa");
  });

  it("reads a module compiled before back from the cache instead of compiling it again", () => {
    loader.compileTypeScript("/src/greet.ts", SOURCE, { cacheDir: dir });
    const [stored] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, stored!), "exports.fromCache = true;");
    const code = loader.compileTypeScript("/src/greet.ts", SOURCE, { cacheDir: dir });
    expect(evaluate(code)).toEqual({ fromCache: true });
  });

  it("compiles a changed source afresh rather than run the stale one", () => {
    loader.compileTypeScript("/src/greet.ts", SOURCE, { cacheDir: dir });
    const changed = SOURCE.replace('"hello "', '"bonjour "');
    const code = loader.compileTypeScript("/src/greet.ts", changed, { cacheDir: dir });
    expect((evaluate(code)["greet"] as (g: { to: string }) => string)({ to: "qa" })).toBe("bonjour qa");
    expect(fs.readdirSync(dir)).toHaveLength(2);
  });

  it("keys a compiled module by everything that changes the output", () => {
    const options = loader.transformOptions();
    const key = loader.cacheKey("/src/a.ts", SOURCE, options, "0.28.2");
    expect(loader.cacheKey("/src/b.ts", SOURCE, options, "0.28.2")).not.toBe(key);
    expect(loader.cacheKey("/src/a.ts", `${SOURCE} `, options, "0.28.2")).not.toBe(key);
    expect(loader.cacheKey("/src/a.ts", SOURCE, options, "0.28.3")).not.toBe(key);
    expect(loader.cacheKey("/src/a.ts", SOURCE, { ...options, target: "node18" }, "0.28.2")).not.toBe(key);
  });

  it("still compiles when the cache cannot be written", () => {
    const blocked = path.join(dir, "not-a-directory");
    fs.writeFileSync(blocked, "");
    const code = loader.compileTypeScript("/src/greet.ts", SOURCE, { cacheDir: blocked });
    expect(typeof evaluate(code)["greet"]).toBe("function");
  });

  it("names the file, line and column of a syntax error", () => {
    expect(() =>
      loader.compileTypeScript("/src/broken.ts", "const a = 1;\nconst b = ;\n", { cacheDir: dir }),
    ).toThrow(/^\/src\/broken\.ts:2:11: Unexpected ";"/);
  });

  it("compiles with the project's tsconfig compiler options", () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as {
      compilerOptions: unknown;
    };
    expect(loader.transformOptions().tsconfigRaw.compilerOptions).toEqual(tsconfig.compilerOptions);
  });

  it("says which tsconfig it cannot read", () => {
    const bad = path.join(dir, "tsconfig.json");
    fs.writeFileSync(bad, "{ compilerOptions: ");
    expect(() => loader.transformOptions(bad)).toThrow(
      new RegExp(`^${bad.replace(/[.]/g, "\\.")}: cannot read its compilerOptions`),
    );
  });
});

describe("requiring TypeScript once the loader is registered", () => {
  it("runs the module, and a stack trace points at the TypeScript line", () => {
    // Types and blank lines before the throw: the compiled JavaScript puts it on another line.
    const file = path.join(dir, "fails.ts");
    fs.writeFileSync(
      file,
      `interface A {\n  a: string;\n}\n\ntype B = A;\n\nexport function fail(b?: B): never {\n  throw new Error("failed " + String(b));\n}\n`,
    );
    const script = `
      require("./tools/loader/typescript").registerTypeScript();
      try { require(${JSON.stringify(file)}).fail(); } catch (error) { process.stdout.write(error.stack); }`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("failed undefined");
    expect(run.stdout).toContain(`${file}:8:`);
  });
});
