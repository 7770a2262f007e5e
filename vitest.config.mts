import { spawnSync } from "node:child_process";
import { configDefaults, defineConfig } from "vitest/config";

// The scheduled-job tests need a PostgreSQL with pg_cron, which `.ci/run` starts (LAUNCHPAD_PG_CRON_URL).
// In CI they always run, and fail without that server; elsewhere they run only when it is given.
const PG_CRON_TESTS = "test/rehearse/pg-cron.test.ts";
const pgCron = process.env["CI"] === "true" || Boolean(process.env["LAUNCHPAD_PG_CRON_URL"]);
if (!pgCron) {
  console.warn(
    `NOT RUN: ${PG_CRON_TESTS} (pg_cron jobs on a real server) — LAUNCHPAD_PG_CRON_URL is not set; ` +
      'run .ci/run, or `eval "$(.ci/pg-cron start)"` before npm test, to include them.',
  );
}

// The PromQL tests (alert rules, dashboard queries) need Prometheus's promtool (Debian's `prometheus`,
// installed by `.ci/run`). In CI they always run, and fail without it; elsewhere they run only when
// promtool is installed.
const PROMTOOL_TESTS = ["test/monitoring/promql-rules.test.ts", "test/monitoring/dashboard-promql.test.ts"];
const promtool =
  process.env["CI"] === "true" || spawnSync("promtool", ["--version"], { stdio: "ignore" }).status === 0;
if (!promtool) {
  console.warn(
    `NOT RUN: ${PROMTOOL_TESTS.join(", ")} (alert rules and dashboard queries by Prometheus's own tools) — promtool is not installed; ` +
      "run .ci/run, or install Debian's prometheus package, to include them.",
  );
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      ...configDefaults.exclude,
      ...(pgCron ? [] : [PG_CRON_TESTS]),
      ...(promtool ? [] : PROMTOOL_TESTS),
    ],
    // Offline stack evaluations and embedded Postgres start-ups take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The day exemptions are judged on, in every test and every command a test runs (policies/exemptions/
    // audit-day.ts): the suite never reads the calendar. Tests about expiry set their own days.
    env: { LAUNCHPAD_TODAY: "2026-12-07" },
  },
});
