import { describe, expect, it } from "vitest";
import { POSTGRESQL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, violationsOf, withInput } from "../support";

const RULE = "functions-not-public";
const S = "prod";

const database = resource(S, "launchpad:postgres:Database", "mapquiz-database");
const revoke = resource(
  S,
  POSTGRESQL.defaultPrivileges,
  "mapquiz-database-public-default-functions",
  {
    database: "[secret]",
    role: "public",
    owner: "mapquiz_prod_migrator",
    objectType: "function",
    privileges: [],
  },
  { parent: database },
);

describe(RULE, () => {
  it("passes a database whose migrator's functions are executable by no one by default", async () => {
    await expectCompliant(RULE, [database, revoke]);
  });

  it("reports a database without that revocation, at the database", async () => {
    await expectViolation(RULE, [database], database.urn, /stay executable by PUBLIC/);
  });

  it("reports default privileges or a grant giving EXECUTE to PUBLIC", async () => {
    const granted = withInput(revoke, ["privileges"], ["EXECUTE"]);
    await expectViolation(
      RULE,
      [database, granted],
      granted.urn,
      /new functions of mapquiz_prod_migrator would be executable by PUBLIC/,
    );
    const grant = resource(S, POSTGRESQL.grant, "mapquiz-database-functions", {
      role: "public",
      schema: "public",
      objectType: "function",
      privileges: ["EXECUTE"],
    });
    await expectViolation(
      RULE,
      [database, revoke, grant],
      grant.urn,
      /functions are granted EXECUTE to PUBLIC/,
    );
    const runtime = withInput(grant, ["role"], "mapquiz_prod_runtime");
    expect(await violationsOf(RULE, S, [database, revoke, runtime])).toEqual([]);
  });
});
