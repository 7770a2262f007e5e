/**
 * The schedule grammar pg_cron accepts (its src/entry.c, a cut of Vixie cron's parser, and
 * TryParseInterval in src/job_metadata.c). One grammar for both checks: the config loader's, so a
 * bad schedule fails `plan` rather than `cron.schedule` at deploy time, and the CronJob provider's:
 * - five fields, minute hour day-of-month month day-of-week, separated by blanks;
 * - each field a comma list of `*`, `N`, `N-M`, `*∕S` or `N-M∕S`; a step needs a range or `*`;
 * - names (three letters, any case) in the month (`jan`…`dec`) and day-of-week (`sun`…`sat`) fields;
 *   day-of-week 7 is Sunday too;
 * - `$` alone in the day-of-month field: the last day of the month;
 * - the macros `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`;
 * - `N second` or `N seconds`, with N from 1 to 59.
 *
 * Stricter than pg_cron where pg_cron would accept a schedule that cannot be what was meant:
 * characters it skips after a field (`*5`, `5!`), text after the fifth field (a crontab's command),
 * a range whose start is after its end (it never fires) and `@reboot`/`@restart` (a server start is
 * not a schedule).
 */

interface Field {
  name: string;
  low: number;
  high: number;
  /** Names standing for numbers from `low` upwards, as pg_cron's MonthNames and DowNames. */
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: "minute", low: 0, high: 59 },
  { name: "hour", low: 0, high: 23 },
  { name: "day of month", low: 1, high: 31 },
  {
    name: "month",
    low: 1,
    high: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { name: "day of week", low: 0, high: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
];

const MACROS = ["yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly"];

/** pg_cron's interval form: sscanf(" %u secon%c%c %c") on the lower-cased text. */
const SECONDS = /^\s*(\d+)\s*seconds?\s*$/i;

/** pg_cron copies the schedule into a buffer of 1000 bytes. */
const MAX_LENGTH = 999;

function numberIn(token: string, field: Field): number | string {
  const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return field.low + named;
  if (!/^\d+$/.test(token)) {
    return field.names
      ? `"${token}" is neither a number nor a ${field.name} name (${field.names.slice(0, 7).join(", ")}…)`
      : `"${token}" is not a number`;
  }
  const value = Number(token);
  if (value < field.low || value > field.high) return `${token} is out of range ${field.low}–${field.high}`;
  return value;
}

/** Why one element of a field's comma list is refused, or undefined. */
function elementProblem(element: string, field: Field): string | undefined {
  const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(.*))?$/i.exec(element);
  if (!match) return `"${element}" is not *, N, N-M or a step (*/S, N-M/S)`;
  const [, range, step] = match as unknown as [string, string, string | undefined];
  const bounds = range === "*" ? [field.low, field.high] : range.split("-").map((t) => numberIn(t, field));
  const problem = bounds.find((b): b is string => typeof b === "string");
  if (problem) return problem;
  const [from, to] = bounds as number[];
  if (step !== undefined) {
    if (to === undefined) return `"${element}": a step needs a range or * before it (e.g. */${step})`;
    if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.high)
      return `"${element}": the step must be a number from 1 to ${field.high}`;
  }
  if (to !== undefined && from! > to)
    return `"${element}": the range starts after it ends, so it never fires`;
  return undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  if (field.name === "day of month" && text === "$") return undefined;
  for (const element of text.split(",")) {
    if (element === "") return `an empty element in "${text}"`;
    const problem = elementProblem(element, field);
    if (problem) return problem;
  }
  return undefined;
}

/** Why pg_cron would refuse a schedule (or it could not be what was meant), or undefined when valid. */
export function cronScheduleProblem(schedule: string): string | undefined {
  if (schedule.length > MAX_LENGTH) return `longer than pg_cron's ${MAX_LENGTH} characters`;
  const text = schedule.trim();
  const seconds = SECONDS.exec(text);
  if (seconds) {
    const n = Number(seconds[1]);
    return n >= 1 && n <= 59 ? undefined : `an interval in seconds runs every 1 to 59 seconds, got ${n}`;
  }
  if (text.startsWith("@")) {
    const macro = text.slice(1);
    if (MACROS.includes(macro)) return undefined;
    if (macro === "reboot" || macro === "restart")
      return `"${text}" runs only when the database server starts: give a schedule`;
    return `unknown macro "${text}"; pg_cron knows ${MACROS.map((m) => `@${m}`).join(", ")}`;
  }
  const fields = text.split(/[ \t]+/);
  if (fields.length !== 5) {
    return `expected five fields (minute hour day-of-month month day-of-week), "@daily"-style or "N seconds", got ${fields.length} field${fields.length === 1 ? "" : "s"}`;
  }
  for (const [index, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[index]!, field);
    if (problem) return `${field.name} field: ${problem}`;
  }
  return undefined;
}
