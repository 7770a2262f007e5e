/**
 * The day exemptions are judged on. The real date (UTC) unless LAUNCHPAD_TODAY names another, so an
 * audit can be run as it will be judged on a later day (what expires next month?), and a test can fix
 * the day instead of depending on the calendar.
 */
import { ConfigError } from "../../infra/config/errors";

/** The environment variable that sets the day, YYYY-MM-DD. */
export const TODAY_VARIABLE = "LAUNCHPAD_TODAY";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-02-30` parses (it rolls over to March); a real day reads back the same. */
export function isRealDay(day: string): boolean {
  if (!ISO_DATE.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

/** A date as YYYY-MM-DD (UTC), the form expiry dates are compared in. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The day to judge exemptions on: `LAUNCHPAD_TODAY` when set, else the clock's day (UTC).
 * A value that is not a real YYYY-MM-DD day is a configuration error naming the variable.
 */
export function auditDay(env: NodeJS.ProcessEnv = process.env, clock: () => Date = () => new Date()): string {
  const set = env[TODAY_VARIABLE];
  if (set === undefined || set === "") return isoDay(clock());
  if (!isRealDay(set)) {
    throw new ConfigError([
      {
        file: "environment",
        key: TODAY_VARIABLE,
        message: `expected a real calendar day YYYY-MM-DD (the day exemptions are judged on), got "${set}"`,
      },
    ]);
  }
  return set;
}
