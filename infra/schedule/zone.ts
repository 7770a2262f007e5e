/**
 * Wall-clock time in an IANA time zone, through Intl (the zone data Node ships): what a zone's
 * clocks read at an instant, its UTC offsets, and the instant a wall-clock time stands for —
 * including the days a daylight-saving change skips an hour or repeats one.
 */

import type { WallTime } from "./cron-fields";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether Intl knows the zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** What the zone's clocks read at `instant` (to the minute). */
export function wallTimeAt(instant: Date, zone: string): WallTime {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts["year"]),
    month: Number(parts["month"]),
    day: Number(parts["day"]),
    hour: Number(parts["hour"]),
    minute: Number(parts["minute"]),
    weekday: WEEKDAYS.indexOf(parts["weekday"]!),
  };
}

/** A wall time read as if it were UTC: milliseconds, for arithmetic on wall times. */
function naiveMs(time: Pick<WallTime, "year" | "month" | "day" | "hour" | "minute">): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute);
}

/** The zone's offset from UTC at `instant`, in minutes (Europe/Paris: 60 in winter, 120 in summer). */
export function offsetAt(instant: Date, zone: string): number {
  const minute = Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS;
  return (naiveMs(wallTimeAt(new Date(minute), zone)) - minute) / MINUTE_MS;
}

const offsetsByZone = new Map<string, number[]>();

/**
 * The offsets the zone uses over a reference year, sampled daily. A fixed year keeps the rendered
 * workflow the same whatever the date; the gate reads the real clock, so this only has to cover.
 * Read once per zone: the config check asks for it on every plan and audit.
 */
export function zoneOffsets(zone: string, year = 2026): readonly number[] {
  const key = `${zone}@${year}`;
  const known = offsetsByZone.get(key);
  if (known) return known;
  const offsets = new Set<number>();
  for (let t = Date.UTC(year, 0, 1, 12); t < Date.UTC(year + 1, 0, 1); t += DAY_MS) {
    offsets.add(offsetAt(new Date(t), zone));
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  offsetsByZone.set(key, sorted);
  return sorted;
}

/**
 * The instant a wall time stands for in the zone. A time the clocks show twice (the hour repeated
 * when summer time ends) is its first occurrence; a time they skip (the hour lost when it starts) is
 * read with the offset before the change, which lands just after the gap, as cron daemons run it.
 */
export function instantOf(
  time: Pick<WallTime, "year" | "month" | "day" | "hour" | "minute">,
  zone: string,
): Date {
  const naive = naiveMs(time);
  // No zone changes its offset twice within a day, so the offsets a day either side are the candidates.
  const before = offsetAt(new Date(naive - DAY_MS), zone);
  const after = offsetAt(new Date(naive + DAY_MS), zone);
  const matching = [...new Set([before, after])]
    .map((offset) => naive - offset * MINUTE_MS)
    .filter((t) => naiveMs(wallTimeAt(new Date(t), zone)) === naive)
    .sort((a, b) => a - b);
  return new Date(matching[0] ?? naive - before * MINUTE_MS);
}
