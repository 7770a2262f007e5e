import { z } from "zod";
import { cronScheduleProblem } from "../../providers/postgres/sql/cron-schedule";

/** A DNS hostname such as `app.example.com` (no scheme, no path). */
export const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "expected a lowercase hostname such as app.example.com",
  );

/** An `https://` origin or URL; plain http is refused everywhere (checklist: HTTPS everywhere). */
export const httpsUrl = z
  .string()
  .url("expected a URL")
  .refine((value) => value.startsWith("https://"), "expected an https:// URL");

const HTTPS_ORIGIN = /^https:\/\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/;

/**
 * An exact browser origin: `https://host[:port]`, no path and no wildcard. A `*` would let any site
 * read the app's responses (checklist: CORS configured strictly).
 */
export const httpsOrigin = z
  .string()
  .refine((value) => !value.includes("*"), {
    message: "wildcards are refused; list each exact origin (never `*`)",
    abort: true,
  })
  .refine((value) => !value.startsWith("http://"), {
    message: "plain http is refused; expected an https:// origin",
    abort: true,
  })
  .refine((value) => HTTPS_ORIGIN.test(value), {
    message: "expected an origin such as https://app.example.com (scheme and host, no path)",
  });

/** Names of Postgres identifiers the catalog may declare (tables, columns). */
export const sqlIdentifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a lowercase SQL identifier (letters, digits, underscore)");

/** Names of secrets and environment variables, e.g. `DATABASE_URL`. */
export const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "expected an UPPER_SNAKE_CASE variable name");

/**
 * A pg_cron schedule: five fields (`0 2 * * *`), a macro (`@daily`) or `N seconds`, checked against
 * the grammar pg_cron accepts (see infra/providers/postgres/sql/cron-schedule.ts).
 */
export const cronSchedule = z.string().superRefine((schedule, ctx) => {
  const problem = cronScheduleProblem(schedule);
  if (problem) ctx.addIssue({ code: "custom", message: `expected a pg_cron schedule (${problem})` });
});

/** Fly.io region codes the stack accepts (a typo must not silently pick another continent). */
export const FLY_REGIONS = [
  "ams",
  "arn",
  "atl",
  "bog",
  "bom",
  "bos",
  "cdg",
  "den",
  "dfw",
  "ewr",
  "eze",
  "fra",
  "gdl",
  "gig",
  "gru",
  "hkg",
  "iad",
  "jnb",
  "lax",
  "lhr",
  "mad",
  "mia",
  "nrt",
  "ord",
  "otp",
  "phx",
  "qro",
  "scl",
  "sea",
  "sin",
  "sjc",
  "syd",
  "waw",
  "yul",
  "yyz",
] as const;
export const flyRegion = z.enum(FLY_REGIONS);
