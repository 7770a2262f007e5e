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

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(pgCron ? [] : [PG_CRON_TESTS])],
    // Offline stack evaluations and embedded Postgres start-ups take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
