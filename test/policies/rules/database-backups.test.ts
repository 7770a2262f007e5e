import { describe, expect, it } from "vitest";
import { FLY } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  projectWithCatalog,
  resource,
  violationsOf,
} from "../support";

const RULE = "database-backups";

const volume = (stack: string, autoBackup?: boolean) =>
  resource(stack, FLY.volume, "mona-spark-backend-redis-volume-1", {
    app: `mona-spark-redis-${stack}`,
    name: "redis_data",
    region: "cdg",
    sizeGb: 1,
    ...(autoBackup === undefined ? {} : { autoBackup }),
  });
const apps = ["sheet2scene", "workspace-analytics", "submissions", "mapquiz", "mona-spark"].map((a) =>
  appComponent("prod", a),
);

describe(RULE, () => {
  it("passes the shipped catalog (daily backups everywhere) and volumes keeping Fly's snapshots", async () => {
    await expectCompliant(RULE, [...apps, volume("prod"), volume("prod", true)]);
  });

  it("reports a production volume with daily snapshots off", async () => {
    const bad = volume("prod", false);
    await expectViolation(RULE, [...apps, bad], bad.urn, /turns off Fly's daily snapshots/);
  });

  it("reports a production database with neither daily backups nor point-in-time recovery", async () => {
    const dir = projectWithCatalog([
      [["mapquiz", "database", "backups"], { daily: false, pointInTimeRecovery: false }],
    ]);
    expect(await violationsOf(RULE, "prod", apps, { projectDir: dir })).toEqual([
      {
        enforcement: "mandatory",
        urn: apps[3]!.urn,
        message: "mapquiz: the production database declares neither daily backups nor point-in-time recovery",
      },
    ]);
    // Outside production the same catalog passes.
    expect(
      await violationsOf(RULE, "dev", [appComponent("dev", "mapquiz"), volume("dev", false)], {
        projectDir: dir,
      }),
    ).toEqual([]);
  });

  it("reports a snapshot job writing to a public bucket", async () => {
    // The config rules already refuse a public bucket that `backup` exports to: drop that declaration,
    // so the policy is what stands between the snapshot job and the public bucket.
    const dir = projectWithCatalog([
      [["submissions", "backup"], undefined],
      [["submissions", "buckets", "backups", "public"], true],
    ]);
    expect(await violationsOf(RULE, "prod", apps, { projectDir: dir })).toEqual([
      {
        enforcement: "mandatory",
        urn: apps[2]!.urn,
        message: "submissions: job daily-backup writes snapshots to bucket backups, which is public",
      },
    ]);
  });
});
