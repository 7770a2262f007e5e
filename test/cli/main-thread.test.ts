import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the CLI's main thread, up to starting the evaluation threads", () => {
  // Those threads load the SDK and the YAML parser themselves; the main thread loading them first
  // would only delay the start of the threads.
  it.each(["audit", "plan"])("loads neither the Pulumi SDK nor the YAML parser for %s", (command) => {
    const script = `
      require("./tools/loader").registerLoaders();
      require("./tools/cli/main.ts");
      require("./tools/cli/${command}-command.ts");
      const loaded = (dir) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + dir + "/"));
      process.stdout.write(JSON.stringify({ sdk: loaded("@pulumi/pulumi"), yaml: loaded("yaml") }));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ sdk: false, yaml: false });
  });
});
