/**
 * What the Database component asks of the providers beyond their first cut: platform tables by name,
 * extra role policies on an RLS table, and a bucket id that survives Pulumi's reserved `id`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  platformTablesProvider,
  storageBucketInputs,
  storageBucketProvider,
  tableRlsDifferences,
  tableRlsProvider,
  type TableRlsInputs,
  type TableRlsOutputs,
} from "../../../infra/providers/postgres";
import { admin, asRole, USER_A, useServer } from "./helpers";

const db = useServer();

beforeAll(async () => {
  await admin(db.url, "CREATE ROLE reporting NOLOGIN; GRANT SELECT ON public.notes TO reporting;");
});

describe("PlatformTables by name", () => {
  it("creates only the tables it is given, and reports only their drift", async () => {
    const inputs = { databaseUrl: db.url, schema: "public", tables: ["audit_logs" as const] };
    const created = await platformTablesProvider.create(inputs);
    const outs = created.outs!;
    const tables = await admin(
      db.url,
      "SELECT tablename FROM pg_tables WHERE tablename IN ('audit_logs', 'qa_reports', 'backup_metadata')",
    );
    expect(tables).toEqual([{ tablename: "audit_logs" }]);
    expect(await platformTablesProvider.diff!(created.id, outs, inputs)).toEqual({ changes: false });
    expect(
      (
        await platformTablesProvider.diff!(created.id, outs, {
          ...inputs,
          tables: ["audit_logs", "qa_reports"],
        })
      ).changes,
    ).toBe(true);
    await platformTablesProvider.delete!(created.id, outs);
  });

  it("refuses audit triggers without audit_logs, and names that are not platform tables", async () => {
    const check = await platformTablesProvider.check!(
      {},
      {
        databaseUrl: db.url,
        tables: ["qa_reports"],
        auditedTables: ["notes"],
      },
    );
    expect(check.failures?.map((f) => f.reason)).toContain(
      "audit triggers write into audit_logs: add it to the platform tables",
    );
    const unknown = await platformTablesProvider.check!(
      {},
      { databaseUrl: db.url, tables: ["users" as never] },
    );
    expect(unknown.failures?.[0]?.reason).toMatch(/"users" is not a platform table/);
  });
});

describe("TableRowLevelSecurity with additional policies", () => {
  const inputs = (): TableRlsInputs => ({
    databaseUrl: db.url,
    table: "notes",
    rls: { model: "owner", column: "owner_id" },
    additionalPolicies: [{ name: "reporting_read", command: "select", roles: ["reporting"], using: "true" }],
  });
  let outs: TableRlsOutputs;

  it("adds them to the model's, so the named role reads every row and the owner only its own", async () => {
    outs = (await tableRlsProvider.create(inputs())).outs!;
    expect(Object.keys(outs.observed.policies).sort()).toEqual([
      "notes_owner_delete",
      "notes_owner_insert",
      "notes_owner_select",
      "notes_owner_update",
      "reporting_read",
    ]);
    const reporting = await asRole(db.url, "reporting", undefined, (q) =>
      q("SELECT count(*)::int AS n FROM notes"),
    );
    const owner = await asRole(db.url, "authenticated", USER_A, (q) =>
      q("SELECT count(*)::int AS n FROM notes"),
    );
    expect([reporting[0]!["n"], owner[0]!["n"]]).toEqual([2, 1]);
  });

  it("diffs a change of them, and refuses one named like a model policy", async () => {
    const widened = { ...inputs(), additionalPolicies: [] };
    expect(tableRlsDifferences(outs, widened)).toEqual([
      'public.notes: policy "reporting_read" is not declared',
    ]);
    const clash = await tableRlsProvider.check!(inputs(), {
      ...inputs(),
      additionalPolicies: [
        { name: "notes_owner_select", command: "select", roles: ["reporting"], using: "true" },
      ],
    });
    expect(clash.failures?.[0]?.reason).toMatch(/policy name "notes_owner_select" is used twice/);
  });
});

describe("StorageBucket registered through its class", () => {
  it("finds its id under bucketId, from check to delete", async () => {
    const inputs = { databaseUrl: db.url, ...storageBucketInputs({ id: "exports", public: false }) };
    expect(inputs).not.toHaveProperty("id");
    expect(await storageBucketProvider.check!({}, inputs)).toEqual({ inputs });
    const created = await storageBucketProvider.create(inputs);
    expect(created.id).toBe("exports");
    expect(created.outs).toMatchObject({ bucketId: "exports" });
    expect(created.outs).not.toHaveProperty("id");
    const read = await storageBucketProvider.read!("exports", created.outs!);
    expect(await storageBucketProvider.diff!("exports", read.props!, inputs)).toEqual({ changes: false });
    await storageBucketProvider.delete!("exports", created.outs!);
    expect(await admin(db.url, "SELECT id FROM storage.buckets WHERE id = 'exports'")).toEqual([]);
  });
});
