import { describe, expect, it } from "vitest";
import { PG } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, violationsOf, withInput } from "../support";

const RULE = "membership-not-member-writable";
const S = "prod";

const database = resource(S, "launchpad:postgres:Database", "analytics-database");
const rls = (
  name: string,
  table: string,
  model: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  resource(
    S,
    PG.tableRls,
    name,
    { databaseUrl: "[secret]", table, rls: model, ...extra },
    { parent: database },
  );

const kpis = rls("analytics-database-rls-kpis", "kpis", {
  model: "tenant",
  column: "team_id",
  membershipTable: "members",
});
const members = rls("analytics-database-rls-members", "members", {
  model: "membership",
  userColumn: "user_id",
  tenantColumn: "team_id",
  tenantType: "uuid",
  roleColumn: "role",
  adminRoles: ["admin"],
});

describe(RULE, () => {
  it("passes a tenant table whose members come from a membership table", async () => {
    await expectCompliant(RULE, [database, kpis, members]);
  });

  it("reports a membership table its members can write (the owner model)", async () => {
    const owner = withInput(members, ["rls"], { model: "owner", column: "user_id" });
    await expectViolation(
      RULE,
      [database, kpis, owner],
      owner.urn,
      /members grants tenancy to kpis but its RLS model is owner/,
    );
  });

  it("reports a membership table an extra policy opens to API roles, but not one for the stack's own roles", async () => {
    const opened = withInput(
      members,
      ["additionalPolicies"],
      [{ name: "self join", command: "insert", roles: ["authenticated"], withCheck: "true" }],
    );
    await expectViolation(
      RULE,
      [database, kpis, opened],
      opened.urn,
      /policies self join let API roles write it/,
    );
    const analytics = withInput(
      members,
      ["additionalPolicies"],
      [{ name: "analytics_read", command: "select", roles: ["analytics"], using: "true" }],
    );
    expect(await violationsOf(RULE, S, [database, kpis, analytics])).toEqual([]);
  });
});
