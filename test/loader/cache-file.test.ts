import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

const { cacheDir } = require("../../tools/loader/cache-file") as {
  cacheDir(kind: string, env?: Record<string, string | undefined>): string;
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-cache-dir-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("where the loaders keep what they compiled", () => {
  it("is node_modules/.cache/launchpad unless LAUNCHPAD_CACHE_DIR says otherwise", () => {
    expect(cacheDir("v8", {})).toBe(path.join(ROOT, "node_modules", ".cache", "launchpad", "v8"));
    expect(cacheDir("typescript", { LAUNCHPAD_CACHE_DIR: dir })).toBe(path.join(dir, "typescript"));
  });

  it("resolves a relative LAUNCHPAD_CACHE_DIR against the working directory", () => {
    expect(cacheDir("v8", { LAUNCHPAD_CACHE_DIR: "build-cache" })).toBe(path.resolve("build-cache", "v8"));
  });

  it("fills the folder LAUNCHPAD_CACHE_DIR names when a process loads TypeScript and packages", () => {
    const script = `require("./tools/loader").registerLoaders();
      require("./infra/config/project.ts");
      require("yaml");`;
    const run = spawnSync(process.execPath, ["-e", script], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, LAUNCHPAD_CACHE_DIR: dir },
    });
    expect(run.stderr).toBe("");
    expect(fs.readdirSync(path.join(dir, "typescript")).some((f) => f.endsWith(".js"))).toBe(true);
    expect(fs.readdirSync(path.join(dir, "v8")).some((f) => f.endsWith(".bin"))).toBe(true);
  });
});
