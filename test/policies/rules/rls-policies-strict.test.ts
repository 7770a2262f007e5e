import { describe, expect, it } from "vitest";
import { PG } from "../../../policies/rules/lib/types";
import { evaluate, expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "rls-policies-strict";
const S = "prod";

const owner = resource(S, PG.tableRls, "submissions-db-rls-soumissions-disponibilites", {
  databaseUrl: "[secret]",
  table: "soumissions_disponibilites",
  rls: { model: "owner", column: "user_id" },
});
const explicit = resource(S, PG.tableRls, "workspace-analytics-db-rls-custom-kpis", {
  databaseUrl: "[secret]",
  table: "public.custom_kpis",
  rls: {
    model: "policies",
    policies: [
      {
        name: "read own",
        command: "select",
        roles: ["authenticated"],
        using: "owner_id = (select auth.uid())",
      },
      {
        name: "edit own",
        command: "update",
        roles: ["authenticated"],
        using: "owner_id = (select auth.uid())",
        withCheck: "owner_id = (select auth.uid())",
      },
    ],
  },
});
const bucket = resource(S, PG.bucket, "submissions-db-bucket-backups", {
  databaseUrl: "[secret]",
  bucketId: "backups",
  public: false,
  access: [{ roles: ["service_role"], commands: ["select", "insert"] }],
});
const policy = (i: number, field: string, value: unknown) =>
  withInput(explicit, ["rls", "policies", i, field], value);

describe(RULE, () => {
  it("passes generated owner policies, scoped explicit policies and bucket access by role", async () => {
    await expectCompliant(RULE, [owner, explicit, bucket]);
  });

  it("reports a policy granted to PUBLIC, or to no role at all", async () => {
    await expectViolation(
      RULE,
      [policy(0, "roles", ["PUBLIC"])],
      explicit.urn,
      /"read own" .* applies to PUBLIC/,
    );
    await expectViolation(RULE, [policy(0, "roles", [])], explicit.urn, /"read own" .* applies to PUBLIC/);
    const model = withInput(owner, ["rls", "roles"], ["public"]);
    await expectViolation(
      RULE,
      [model],
      model.urn,
      /owner policies of soumissions_disponibilites apply to PUBLIC/,
    );
  });

  it("reports USING (true) and WITH CHECK (true) outside public tables", async () => {
    await expectViolation(RULE, [policy(0, "using", "(true)")], explicit.urn, /"read own" .* USING \(true\)/);
    await expectViolation(
      RULE,
      [policy(1, "withCheck", "1 = 1")],
      explicit.urn,
      /"edit own" .* WITH CHECK \(true\)/,
    );
  });

  it("accepts USING (true) on a table its config declares public", async () => {
    const report = await evaluate(S, [policy(0, "using", "true")], {
      config: { [RULE]: { enforcementLevel: "mandatory", publicTables: ["custom_kpis"] } },
    });
    expect(report.violations.filter((v) => v.policy === RULE)).toEqual([]);
  });

  it("lets an internal role read every row through an additional policy, never an end-user role", async () => {
    const analytics = withInput(
      owner,
      ["additionalPolicies"],
      [{ name: "analytics_read", command: "select", roles: ["submissions_prod_analytics"], using: "true" }],
    );
    await expectCompliant(RULE, [analytics]);
    const leak = withInput(analytics, ["additionalPolicies", 0, "roles"], ["authenticated"]);
    await expectViolation(
      RULE,
      [leak],
      leak.urn,
      /"analytics_read" on soumissions_disponibilites has USING \(true\)/,
    );
  });

  it("reports an UPDATE policy without WITH CHECK", async () => {
    await expectViolation(
      RULE,
      [policy(1, "withCheck", undefined)],
      explicit.urn,
      /UPDATE policy "edit own" .* needs both/,
    );
  });

  it("reports bucket access granted to PUBLIC", async () => {
    const bad = withInput(bucket, ["access", 0, "roles"], ["public"]);
    await expectViolation(RULE, [bad], bad.urn, /access\[0\] of bucket backups applies to PUBLIC/);
  });
});
