import { describe, expect, it } from "vitest";
import { cronScheduleProblem } from "../../infra/providers/postgres/sql/cron-schedule";
import { appsOf } from "../support/config-fixtures";
import { completeConfig as complete, problems } from "./support";

describe("pg_cron's schedule grammar (src/entry.c, src/job_metadata.c)", () => {
  it.each([
    "30 3 * * *",
    "*/15 * * * *",
    "0 9-17/2 * * 1-5",
    "0,30 8,12,18 1,15 * *",
    "0 0 * jan-mar mon-fri",
    "0 0 1 JAN,Jul *",
    "0 0 * * sun",
    "0 0 * * 7",
    "0 0 $ * *",
    "5 4 * * SAT",
    "0 0 */2 */3 */7",
    "00 03 * * *",
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
    "1 second",
    "30 seconds",
    "59 seconds",
    "  0   2 *\t* *  ",
    "0 0 * * * ",
  ])("accepts %j", (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  it.each([
    ["61 3 * * 0", /minute field: 61 is out of range 0–59/],
    ["0 24 * * *", /hour field: 24 is out of range 0–23/],
    ["0 0 0 * *", /day of month field: 0 is out of range 1–31/],
    ["0 0 32 * *", /day of month field: 32 is out of range 1–31/],
    ["0 0 * 13 *", /month field: 13 is out of range 1–12/],
    ["0 0 * * 8", /day of week field: 8 is out of range 0–7/],
    ["0 0 * * mon-fry", /day of week field: "fry" is neither a number nor a day of week name/],
    ["0 0 * foo *", /month field: "foo" is neither a number nor a month name/],
    ["0 0 mon * *", /day of month field: "mon" is not a number/],
    ["5/10 * * * *", /a step needs a range or \*/],
    ["*/0 * * * *", /the step must be a number from 1 to 59/],
    ["*/60 * * * *", /the step must be a number from 1 to 59/],
    ["30-10 * * * *", /the range starts after it ends/],
    ["1,,2 * * * *", /an empty element/],
    ["*5 * * * *", /is not \*, N, N-M or a step/],
    ["0 0 $5 * *", /day of month field/],
    ["0 2 * *", /expected five fields .* got 4 fields/],
    ["0 2 * * * /bin/true", /got 6 fields/],
    ["@reboot", /runs only when the database server starts/],
    ["@DAILY", /unknown macro "@DAILY"/],
    ["@fortnightly", /unknown macro/],
    ["0 seconds", /every 1 to 59 seconds, got 0/],
    ["60 seconds", /every 1 to 59 seconds, got 60/],
    ["30 secs", /expected five fields/],
  ] as const)("refuses %j", (schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toMatch(problem);
  });

  it("refuses a schedule longer than pg_cron's buffer", () => {
    expect(cronScheduleProblem(`0 0 * * ${"1,".repeat(500)}1`)).toMatch(
      /longer than pg_cron's 999 characters/,
    );
  });
});

describe("a bad schedule fails at config load, with its key path", () => {
  it("refuses every job of every app whose schedule pg_cron would refuse", () => {
    const config = complete("prod");
    const expected: string[] = [];
    for (const [app, spec] of Object.entries(appsOf(config))) {
      for (const [job, declared] of Object.entries(
        (spec["jobs"] ?? {}) as Record<string, { schedule: string }>,
      )) {
        declared.schedule = "61 3 * * 0";
        expected.push(
          `Pulumi.yaml: launchpad:apps.${app}.jobs.${job}.schedule: expected a pg_cron schedule (minute field: 61 is out of range 0–59), got "61 3 * * 0"`,
        );
      }
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(problems("prod", config).sort()).toEqual(expected.sort());
  });

  it("locates a schedule set by a stack's overrides in the stack file", () => {
    const config = complete("qa");
    const [app, spec] = Object.entries(appsOf(config)).find(
      ([, s]) => Object.keys(s["jobs"] ?? {}).length > 0,
    )!;
    const job = Object.keys(spec["jobs"])[0]!;
    const overrides = config.values["launchpad:overrides"] as Record<string, any>;
    overrides[app] = { ...overrides[app], jobs: { [job]: { schedule: "0 0 * * 8" } } };
    expect(problems("qa", config)).toEqual([
      `Pulumi.qa.yaml: launchpad:overrides.${app}.jobs.${job}.schedule: expected a pg_cron schedule (day of week field: 8 is out of range 0–7), got "0 0 * * 8"`,
    ]);
  });
});
