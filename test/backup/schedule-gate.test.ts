/**
 * The schedule gate, with an injected clock: of the UTC lines a declared schedule becomes, exactly
 * one run proceeds per local day the schedule names — in winter, in summer, and on both days the
 * zone's clocks change (the skipped hour runs just after the gap, the repeated hour only once) —
 * at the declared local time, even when GitHub starts the run late.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { dayMatches, parseCron } from "../../infra/schedule/cron-fields";
import { utcCronLines } from "../../infra/schedule/utc-lines";
import { offsetAt, wallTimeAt } from "../../infra/schedule/zone";
import { scheduleGate } from "../../tools/backup/schedule-gate";
import { readWorkflow, ROOT } from "../workflows/support";
import { backedUpApps } from "./support";

const DAY_MS = 86_400_000;
const YEAR = 2026;

/** Midnight UTC of the days the zone's offset differs from the day before's, in the year. */
function offsetChanges(zone: string): number[] {
  const changes: number[] = [];
  for (let t = Date.UTC(YEAR, 0, 2); t < Date.UTC(YEAR + 1, 0, 1); t += DAY_MS) {
    if (offsetAt(new Date(t), zone) !== offsetAt(new Date(t - DAY_MS), zone)) changes.push(t - DAY_MS);
  }
  return changes;
}

/** Every time a UTC line fires from `from` for `days` days. */
function firings(line: string, from: number, days: number): Date[] {
  const cron = parseCron(line);
  const times: Date[] = [];
  for (let t = from; t < from + days * DAY_MS; t += 60_000) {
    const at = new Date(t);
    const utc = wallTimeAt(at, "UTC");
    if (cron.minutes.has(utc.minute) && cron.hours.has(utc.hour) && dayMatches(cron, utc)) times.push(at);
  }
  return times;
}

const key = (t: { year: number; month: number; day: number }) => `${t.year}-${t.month}-${t.day}`;

const schedules = backedUpApps().flatMap((app) =>
  (["schedule", "cleanupSchedule"] as const).map(
    (kind) => [app.name, kind, app.spec.backup![kind], app.spec.backup!.timeZone] as const,
  ),
);

describe.each(schedules)("%s %s (%s in %s)", (_app, _kind, schedule, timeZone) => {
  const lines = utcCronLines(schedule, timeZone);
  const declared = parseCron(schedule);
  const changes = offsetChanges(timeZone);
  // A winter week, a summer week, and a week around each change (both sides of it).
  const windows = [Date.UTC(YEAR, 0, 10), Date.UTC(YEAR, 6, 10), ...changes.map((t) => t - 3 * DAY_MS)];

  it("has a change of offset to cross, or runs at one UTC time", () => {
    expect(lines).toHaveLength(changes.length > 0 ? 2 : 1);
  });

  it.each(windows.map((t) => [new Date(t).toISOString().slice(0, 10), t]))(
    "the week from %s: one run per scheduled local day, at the declared time, late starts included",
    (_day, start) => {
      const due = new Map<string, Date[]>();
      for (const line of lines) {
        for (const fired of firings(line, start - DAY_MS, 9)) {
          for (const delayMinutes of [0, 47]) {
            const now = new Date(fired.getTime() + delayMinutes * 60_000);
            const decision = scheduleGate({ fired: line, schedule, timeZone, now });
            if (decision.due && delayMinutes === 0) {
              const local = wallTimeAt(fired, timeZone);
              due.set(key(local), [...(due.get(key(local)) ?? []), fired]);
            }
            // A late start is judged by when its line was due, not by when the runner woke.
            expect(decision.due).toBe(scheduleGate({ fired: line, schedule, timeZone, now: fired }).due);
          }
        }
      }
      for (let t = start; t < start + 7 * DAY_MS; t += DAY_MS) {
        const noon = wallTimeAt(new Date(t + 12 * 3_600_000), timeZone);
        const runs = due.get(key(noon)) ?? [];
        expect(runs.length, `${key(noon)} in ${timeZone}`).toBe(dayMatches(declared, noon) ? 1 : 0);
        for (const run of runs) {
          const local = wallTimeAt(run, timeZone);
          const skipped = offsetAt(run, timeZone) !== offsetAt(new Date(run.getTime() - 3_600_000), timeZone);
          // The declared time, or (the day it does not exist) the first minute after the clocks jump.
          if (!skipped) expect([...declared.hours]).toContain(local.hour);
          expect([...declared.minutes]).toContain(local.minute);
        }
      }
    },
  );
});

describe("scheduleGate at Europe/Paris, 02:00 daily", () => {
  const gate = (fired: string, iso: string) =>
    scheduleGate({ fired, schedule: "0 2 * * *", timeZone: "Europe/Paris", now: new Date(iso) }).due;

  it("runs the winter line in winter and the summer line in summer", () => {
    expect([gate("0 1 * * *", "2026-01-15T01:00:00Z"), gate("0 0 * * *", "2026-01-15T00:00:00Z")]).toEqual([
      true,
      false,
    ]);
    expect([gate("0 1 * * *", "2026-07-15T01:00:00Z"), gate("0 0 * * *", "2026-07-15T00:00:00Z")]).toEqual([
      false,
      true,
    ]);
  });

  it("runs at 03:00 summer time when 02:00 is skipped, and once when 02:00 is repeated", () => {
    expect([gate("0 1 * * *", "2026-03-29T01:00:00Z"), gate("0 0 * * *", "2026-03-29T00:00:00Z")]).toEqual([
      true,
      false,
    ]);
    expect([gate("0 1 * * *", "2026-10-25T01:00:00Z"), gate("0 0 * * *", "2026-10-25T00:00:00Z")]).toEqual([
      false,
      true,
    ]);
  });

  it("refuses a zone Intl does not know", () => {
    expect(() =>
      scheduleGate({
        fired: "0 1 * * *",
        schedule: "0 2 * * *",
        timeZone: "Europe/Pariss",
        now: new Date(0),
      }),
    ).toThrow(/IANA time zone/);
  });
});

describe("the workflow's gate step (tools/backup/schedule-gate.ts)", () => {
  const step = readWorkflow("backup.yml").jobs["backup"]!.steps!.find((s) => s.id === "gate")!;

  function gate(env: Record<string, string>) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-gate-")), "out");
    fs.writeFileSync(out, "");
    const result = spawnSync("bash", ["-eo", "pipefail", "-c", step.run!], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"], GITHUB_OUTPUT: out, ...env },
      encoding: "utf8",
    });
    return { code: result.status, stderr: result.stderr, output: fs.readFileSync(out, "utf8") };
  }

  it("writes its decision for the next steps, and why to the log", () => {
    const run = gate({ FIRED_SCHEDULE: "0 1 * * *", BACKUP_SCHEDULE: "0 2 * * *", BACKUP_TIME_ZONE: "UTC" });
    expect(run.code).toBe(0);
    // 01:00 UTC is never 02:00 UTC, whatever the day.
    expect(run.output).toBe("due=false\n");
    expect(run.stderr).toMatch(/not due/);
  });

  it("fails the step on an unknown zone (exit 2), deciding nothing", () => {
    const run = gate({
      FIRED_SCHEDULE: "0 1 * * *",
      BACKUP_SCHEDULE: "0 2 * * *",
      BACKUP_TIME_ZONE: "Mars/Base",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Mars\/Base/);
    expect(run.output).toBe("");
  });
});
