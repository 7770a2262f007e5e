import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { INTERRUPT_BUDGET, shortRunFlags } from "../../tools/engine/v8-tuning";

describe("V8 options for an offline evaluation", () => {
  it("raise the optimization budget when the user chose none", () => {
    expect(shortRunFlags([])).toEqual([`--interrupt-budget=${INTERRUPT_BUDGET}`]);
    expect(shortRunFlags(["--enable-source-maps", "--max-old-space-size=4096"])).toEqual([
      `--interrupt-budget=${INTERRUPT_BUDGET}`,
    ]);
  });

  it("leave the user's own budget on Node's command line alone, in either spelling", () => {
    expect(shortRunFlags(["--interrupt-budget=1000"])).toEqual([]);
    expect(shortRunFlags(["--inspect", "--interrupt_budget=1000"])).toEqual([]);
    expect(shortRunFlags(["--interrupt-budget-for-feedback-allocation=10"])).toEqual([
      `--interrupt-budget=${INTERRUPT_BUDGET}`,
    ]);
  });

  it("are options this Node's V8 knows (an unknown one would only print an error at run time)", () => {
    const run = spawnSync(process.execPath, [...shortRunFlags([]), "-e", "0"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
