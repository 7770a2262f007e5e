/**
 * A schedule in a zone's wall-clock time, as the UTC cron lines GitHub runs (its `on.schedule`
 * cron is UTC, and the pinned workflow schema has no `timezone` key): one set of lines per offset
 * the zone uses, so a run starts at the declared local time in winter and in summer alike. The
 * schedule gate (tools/backup/schedule-gate.ts) then lets only the run that is due proceed.
 */

import { zoneOffsets } from "./zone";

const NUMBERS = /^\d+(,\d+)*$/;

/**
 * Why the schedule cannot be shifted to UTC, if it cannot: its minutes and hours must be numbers
 * and its days any day or given weekdays (a shift across midnight moves those, not dates).
 */
export function localScheduleProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return "expected five cron fields (minute hour day month weekday)";
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (!NUMBERS.test(minute) || !NUMBERS.test(hour)) {
    return "minute and hour must be numbers or lists of numbers (e.g. 0 2 * * *), to be shifted to UTC";
  }
  if (day !== "*" || month !== "*") return "day of month and month must be * (daily or weekly schedules)";
  if (weekday !== "*" && !/^[0-7](,[0-7])*$/.test(weekday)) {
    return "weekday must be * or weekday numbers 0-7 (e.g. 0 for Sunday)";
  }
  return undefined;
}

/** The UTC cron lines covering `schedule` (wall time in `zone`) under each of the zone's offsets. */
export function utcCronLines(schedule: string, zone: string): string[] {
  const problem = localScheduleProblem(schedule);
  if (problem) throw new Error(`schedule "${schedule}": ${problem}`);
  const [minute, hour, , , weekday] = schedule.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const lines = new Set<string>();
  for (const offset of zoneOffsets(zone)) {
    for (const h of hour.split(",").map(Number)) {
      for (const m of minute.split(",").map(Number)) {
        const utc = h * 60 + m - offset;
        const dayShift = Math.floor(utc / 1440);
        const inDay = utc - dayShift * 1440;
        const days =
          weekday === "*"
            ? "*"
            : [...new Set(weekday.split(",").map((d) => (((Number(d) + dayShift) % 7) + 7) % 7))]
                .sort((a, b) => a - b)
                .join(",");
        lines.add(`${inDay % 60} ${Math.floor(inDay / 60)} * * ${days}`);
      }
    }
  }
  return [...lines];
}
