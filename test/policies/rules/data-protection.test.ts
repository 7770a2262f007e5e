import { describe, expect, it } from "vitest";
import { FLY, PG, POSTGRESQL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, violationsOf } from "../support";

const RULE = "data-protection";

const stateful = (stack: string, protect: boolean) => [
  resource(
    stack,
    FLY.volume,
    "mona-spark-backend-redis-volume-1",
    { app: "a", name: "redis_data", region: "cdg", sizeGb: 1 },
    { protect },
  ),
  resource(
    stack,
    PG.bucket,
    "submissions-db-bucket-backups",
    { bucketId: "backups", public: false },
    { protect },
  ),
  resource(stack, PG.platformTables, "submissions-db-platform-tables", { auditedTables: [] }, { protect }),
  resource(stack, POSTGRESQL.database, "mapquiz-db-database", { name: "mapquiz" }, { protect }),
  resource(stack, POSTGRESQL.schema, "mapquiz-db-schema", { name: "app" }, { protect }),
];

describe(RULE, () => {
  it("passes protected volumes, buckets, audit tables, databases and schemas in production", async () => {
    await expectCompliant(RULE, stateful("prod", true));
  });

  it("reports each unprotected one in production", async () => {
    for (const r of stateful("prod", false)) {
      await expectViolation(RULE, [r], r.urn, /holds data but is not protected/);
    }
  });

  it("judges protect, the option CrossGuard shows, not retainOnDelete alone", async () => {
    const retained = { ...stateful("prod", false)[0]!, retainOnDelete: true };
    await expectViolation(RULE, [retained], retained.urn, /not protected/);
  });

  it("does not require protection outside production, or on stateless resources", async () => {
    expect(await violationsOf(RULE, "dev", stateful("dev", false))).toEqual([]);
    const machine = resource("prod", FLY.machine, "m", { app: "a" });
    expect(await violationsOf(RULE, "prod", [machine])).toEqual([]);
  });
});
