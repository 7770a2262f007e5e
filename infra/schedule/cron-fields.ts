/**
 * The five fields of a cron schedule (minute hour day-of-month month day-of-week), parsed into the
 * sets of values they allow, and matched against a wall-clock time. Standard cron semantics: when
 * both day fields are restricted, a day matches either; day-of-week 7 is Sunday like 0.
 */

export interface WallTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
  /** 0–23 */
  readonly hour: number;
  /** 0–59 */
  readonly minute: number;
  /** 0 (Sunday) – 6 */
  readonly weekday: number;
}

export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [min, max]: readonly [number, number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`"${part}" is not a cron field`);
    const from = match[1] === "*" ? min : Number(match[2]);
    const to = match[1] === "*" ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : from;
    const step = match[4] ? Number(match[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`"${part}" is out of ${min}-${max}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Throws on anything but five numeric cron fields. */
export function parseCron(schedule: string): CronFields {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`"${schedule}" does not have five fields`);
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) => parseField(f, RANGES[i]!));
  if (weekdays!.delete(7)) weekdays!.add(0);
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    anyDay: fields[2] === "*",
    anyWeekday: fields[4] === "*",
  };
}

export function dayMatches(cron: CronFields, time: WallTime): boolean {
  if (!cron.months.has(time.month)) return false;
  const day = cron.days.has(time.day);
  const weekday = cron.weekdays.has(time.weekday);
  if (cron.anyDay || cron.anyWeekday) return day && weekday;
  return day || weekday;
}

export function cronMatches(cron: CronFields, time: WallTime): boolean {
  return cron.minutes.has(time.minute) && cron.hours.has(time.hour) && dayMatches(cron, time);
}
