import { afterEach, describe, expect, it } from "vitest";
import { withoutStackTraces } from "../../tools/engine/stack-traces";

describe("stack traces while the program runs offline", () => {
  afterEach(() => {
    delete process.env["LAUNCHPAD_STACK_TRACES"];
  });

  it("keep errors' names and messages, not their frames, and come back afterwards", async () => {
    const inside = await withoutStackTraces(async () => new Error("boom").stack);
    expect(inside).toBe("Error: boom");
    expect(new Error("after").stack).toMatch(/^Error: after\n\s+at /);
  });

  it("are restored when the program throws", async () => {
    await expect(
      withoutStackTraces(async () => {
        throw new TypeError("bad");
      }),
    ).rejects.toThrow("bad");
    expect(new Error("after").stack).toMatch(/\n\s+at /);
  });

  it("are kept whole with LAUNCHPAD_STACK_TRACES=1", async () => {
    process.env["LAUNCHPAD_STACK_TRACES"] = "1";
    const inside = await withoutStackTraces(async () => new Error("boom").stack);
    expect(inside).toMatch(/^Error: boom\n\s+at /);
  });
});
