/** How the report counts attacks and names the ones that got through, with their SQL. */
import { describe, expect, it } from "vitest";
import { breach, type Attack } from "../../tools/rehearse/attack";
import { attackTally, renderJson, renderText, type RehearsalReport } from "../../tools/rehearse/report";
import type { Attempt } from "../../tools/rehearse/session";

const attack: Attack = { subject: "table t", move: "reads B's rows", sql: "SELECT 1", success: "count" };
const ran = (n: number, rowCount = 1): Attempt => ({
  ok: true,
  result: { rows: [{ n }], rowCount, command: "SELECT", oid: 0, fields: [] },
});

describe("an attack", () => {
  it("holds when refused for lack of privilege or when it reaches no row", () => {
    expect(
      breach(attack, { ok: false, error: { code: "42501", message: "permission denied" } }),
    ).toBeUndefined();
    expect(breach(attack, ran(0))).toBeUndefined();
  });

  it("succeeds when it reaches rows, when merely running is the breach, or when it fails otherwise", () => {
    expect(breach(attack, ran(2))).toBe("it reached 2 rows");
    expect(breach({ ...attack, success: "runs" }, ran(0, 0))).toBe("it ran");
    expect(breach(attack, { ok: false, error: { code: "42P01", message: "no such table" } })).toMatch(
      /failed otherwise than for lack of privilege \(42P01/,
    );
  });
});

describe("the report", () => {
  const report: RehearsalReport = {
    stack: "dev",
    server: "test",
    reapplyStatements: 0,
    seconds: 1,
    apps: [
      {
        app: "a",
        flavor: "supabase",
        seconds: 1,
        probes: [
          {
            subject: "table t",
            probe: "anon reads rows",
            outcome: "passed",
            attack: { sql: "SELECT count(*) FROM t" },
          },
          {
            subject: "table t",
            probe: "user A reads B's rows",
            outcome: "failed",
            detail: "it reached 1 rows: SELECT count(*) FROM t WHERE o = 'B'",
            attack: { sql: "SELECT count(*) FROM t WHERE o = 'B'" },
          },
          { subject: "layer", probe: "second apply changes nothing", outcome: "passed" },
        ],
      },
    ],
  };

  it("counts attacks tried and held, and names each success with its SQL", () => {
    expect(attackTally(report)).toEqual({ tried: 2, held: 1 });
    const text = renderText(report);
    expect(text).toContain(
      "Attacks that succeeded:\n  ✗ table t: user A reads B's rows — SELECT count(*) FROM t WHERE o = 'B'",
    );
    expect(text).toContain("attacks: 2 tried, 1 held, 1 succeeded");
    expect(JSON.parse(renderJson(report)).attacks).toEqual({ tried: 2, held: 1 });
  });
});
