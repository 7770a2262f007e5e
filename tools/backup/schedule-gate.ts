/**
 * The schedule gate of the backup workflow. GitHub's cron is UTC, so a schedule declared in a
 * zone's wall-clock time is rendered as one UTC line per offset of the zone (two for Europe/Paris:
 * winter and summer time) and every line starts a run. This gate lets a scheduled run proceed only
 * when the instant its line was due is the declared local time in the declared zone: exactly one
 * run a day, in winter, in summer, on the day the clocks skip the hour (the run just after the gap)
 * and on the day they repeat it (the first of the two). It judges the instant the line was due, not
 * the clock when the runner starts, because GitHub may start scheduled runs late.
 *
 * In the workflow: `tsx tools/backup/schedule-gate.ts` with FIRED_SCHEDULE (github.event.schedule),
 * BACKUP_SCHEDULE (the declared local schedule) and BACKUP_TIME_ZONE prints `true` or `false` (the
 * reason goes to stderr, for the log). Manual runs do not go through it. Exit 2 on a schedule or
 * zone it cannot read: the step fails, and the run alerts instead of guessing.
 */

import { cronMatches, dayMatches, parseCron, type WallTime } from "../../infra/schedule/cron-fields";
import { instantOf, isTimeZone, wallTimeAt } from "../../infra/schedule/zone";

const MINUTE_MS = 60_000;
/** How late a scheduled run may start and still be judged (GitHub delays runs, rarely by hours). */
const LOOKBACK_MINUTES = 24 * 60;

export interface GateInput {
  /** The UTC cron line that started the run (github.event.schedule). */
  readonly fired: string;
  /** The declared schedule, in the zone's wall-clock time. */
  readonly schedule: string;
  readonly timeZone: string;
  readonly now: Date;
}

export interface GateDecision {
  readonly due: boolean;
  readonly reason: string;
}

/** The latest instant at or before `now` matching the UTC line, to the minute. */
function firedAt(fired: string, now: Date): Date | undefined {
  const cron = parseCron(fired);
  const start = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let i = 0; i <= LOOKBACK_MINUTES; i++) {
    const instant = new Date(start - i * MINUTE_MS);
    if (cronMatches(cron, wallTimeAt(instant, "UTC"))) return instant;
  }
  return undefined;
}

function dayOf(year: number, month: number, day: number): WallTime {
  const date = new Date(Date.UTC(year, month - 1, day));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: 0,
    minute: 0,
    weekday: date.getUTCDay(),
  };
}

export function scheduleGate(input: GateInput): GateDecision {
  if (!isTimeZone(input.timeZone)) throw new Error(`"${input.timeZone}" is not an IANA time zone`);
  const declared = parseCron(input.schedule);
  const instant = firedAt(input.fired, input.now);
  if (!instant) {
    return { due: false, reason: `no time in the last ${LOOKBACK_MINUTES / 60} h matches "${input.fired}"` };
  }
  const local = wallTimeAt(instant, input.timeZone);
  const shown = `${instant.toISOString().slice(0, 16)}Z (${pad(local.hour)}:${pad(local.minute)} ${input.timeZone})`;
  // The local days whose due time could be this instant: its own and, across midnight, either side.
  for (const shift of [0, -1, 1]) {
    const day = dayOf(local.year, local.month, local.day + shift);
    if (!dayMatches(declared, day)) continue;
    for (const hour of declared.hours) {
      for (const minute of declared.minutes) {
        if (instantOf({ ...day, hour, minute }, input.timeZone).getTime() === instant.getTime()) {
          return { due: true, reason: `${shown} is "${input.schedule}" in ${input.timeZone}` };
        }
      }
    }
  }
  return {
    due: false,
    reason: `${shown} is not "${input.schedule}" in ${input.timeZone}: the other UTC line runs it`,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function main(env: NodeJS.ProcessEnv): number {
  const input = {
    fired: env["FIRED_SCHEDULE"] ?? "",
    schedule: env["BACKUP_SCHEDULE"] ?? "",
    timeZone: env["BACKUP_TIME_ZONE"] ?? "",
  };
  let decision: GateDecision;
  try {
    decision = scheduleGate({ ...input, now: new Date() });
  } catch (error) {
    process.stderr.write(`schedule-gate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  process.stderr.write(`schedule-gate: ${decision.due ? "due" : "not due"}: ${decision.reason}\n`);
  process.stdout.write(`${decision.due}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.env);
