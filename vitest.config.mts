import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Offline stack evaluations and embedded Postgres start-ups take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
