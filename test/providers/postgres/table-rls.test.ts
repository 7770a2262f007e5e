import { describe, expect, it } from "vitest";
import {
  tableRlsDifferences,
  tableRlsProvider,
  watchChanges,
  type TableRlsInputs,
  type TableRlsOutputs,
} from "../../../infra/providers/postgres";
import { admin, asRole, errorOf, TENANT_A, TENANT_B, USER_A, USER_B, useServer } from "./helpers";

const tenantTables = (databaseUrl: string): TableRlsInputs[] => [
  {
    databaseUrl,
    table: "custom_kpis",
    rls: {
      model: "tenant",
      column: "workspace_id",
      membershipTable: "user_roles",
      membershipUserColumn: "user_id",
      membershipTenantColumn: "workspace_id",
    },
  },
  {
    databaseUrl,
    table: "public.workspaces",
    rls: {
      model: "tenant",
      column: "id",
      membershipTable: "public.user_roles",
      membershipUserColumn: "user_id",
      membershipTenantColumn: "workspace_id",
    },
  },
  { databaseUrl, table: "user_roles", rls: { model: "owner", column: "user_id" } },
  { databaseUrl, table: "notes", rls: { model: "owner", column: "owner_id" } },
];

const db = useServer();
const applied = new Map<string, TableRlsOutputs>();

async function catalogFlags(table: string) {
  const [row] = await admin<{ enabled: boolean; forced: boolean }>(
    db.url,
    "SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class WHERE oid = $1::regclass",
    [table],
  );
  return row;
}

describe("TableRowLevelSecurity lifecycle", () => {
  it("creates ENABLE + FORCE and one policy per command, TO authenticated only", async () => {
    for (const inputs of tenantTables(db.url)) {
      const check = await tableRlsProvider.check!(inputs, inputs);
      expect(check.failures).toBeUndefined();
      const result = await tableRlsProvider.create(inputs);
      applied.set(result.id, result.outs!);
    }
    expect([...applied.keys()].sort()).toEqual([
      "public.custom_kpis",
      "public.notes",
      "public.user_roles",
      "public.workspaces",
    ]);
    const kpis = applied.get("public.custom_kpis")!;
    expect(kpis.observed.rlsEnabled).toBe(true);
    expect(kpis.observed.rlsForced).toBe(true);
    expect(Object.keys(kpis.observed.policies).sort()).toEqual([
      "custom_kpis_tenant_delete",
      "custom_kpis_tenant_insert",
      "custom_kpis_tenant_select",
      "custom_kpis_tenant_update",
    ]);
    expect(await catalogFlags("public.custom_kpis")).toEqual({ enabled: true, forced: true });

    const policies = await admin<{
      policyname: string;
      roles: string[];
      qual: string | null;
      with_check: string | null;
    }>(
      db.url,
      "SELECT policyname, roles::text[] AS roles, qual, with_check FROM pg_policies WHERE tablename = 'notes' ORDER BY 1",
    );
    expect(policies.map((p) => p.roles)).toEqual([
      ["authenticated"],
      ["authenticated"],
      ["authenticated"],
      ["authenticated"],
    ]);
    const update = policies.find((p) => p.policyname === "notes_owner_update")!;
    expect(update.qual).toContain("auth.uid()");
    expect(update.with_check).toContain("auth.uid()");
  });

  it("reads back the same state and diffs as unchanged", async () => {
    for (const [id, outs] of applied) {
      const read = await tableRlsProvider.read!(id, outs);
      expect(read.id).toBe(id);
      expect(read.props!.observed).toEqual(outs.observed);
      const diff = await tableRlsProvider.diff!(id, read.props!, outs);
      expect(diff.changes).toBe(false);
    }
  });

  it("re-applies an unchanged declaration without issuing any DDL", async () => {
    const watch = watchChanges();
    try {
      for (const [id, outs] of applied) {
        await tableRlsProvider.update!(id, outs, outs);
        await tableRlsProvider.create(outs);
      }
    } finally {
      watch.stop();
    }
    expect(watch.statements).toEqual([]);
  });

  it("updates a changed model: only the differing policies are replaced", async () => {
    const outs = applied.get("public.notes")!;
    const news: TableRlsInputs = {
      ...outs,
      rls: {
        model: "policies",
        policies: [
          {
            name: "notes_owner_select",
            command: "select",
            roles: ["authenticated"],
            using: "owner_id = (select auth.uid())",
          },
          {
            name: "notes read by service",
            command: "select",
            roles: ["service_role"],
            using: "true",
          },
        ],
      },
    };
    const diff = await tableRlsProvider.diff!("public.notes", outs, news);
    expect(diff).toMatchObject({ changes: true });
    expect(diff.replaces ?? []).toEqual([]);
    const watch = watchChanges();
    const updated = (await tableRlsProvider.update!("public.notes", outs, news)).outs!;
    watch.stop();
    expect(Object.keys(updated.observed.policies).sort()).toEqual([
      "notes read by service",
      "notes_owner_select",
    ]);
    // Three undeclared policies dropped; notes_owner_select's text differs from the generated one
    // (unquoted column), so it is recreated; the new policy is created.
    expect(watch.statements.filter((s) => s.startsWith("DROP POLICY"))).toHaveLength(4);
    expect(watch.statements.filter((s) => s.startsWith("CREATE POLICY"))).toHaveLength(2);
    // Back to the owner model for the probes below.
    const restored = (await tableRlsProvider.update!("public.notes", updated, outs)).outs!;
    expect(restored.observed).toEqual(outs.observed);
  });

  it("replaces on a table rename and deletes by dropping policies, leaving RLS on (deny by default)", async () => {
    const outs = applied.get("public.notes")!;
    const diff = await tableRlsProvider.diff!("public.notes", outs, { ...outs, table: "other.notes" });
    expect(diff.replaces).toEqual(["table"]);

    await admin(
      db.url,
      "CREATE TABLE public.scratch (id int); GRANT SELECT ON public.scratch TO authenticated",
    );
    const created = await tableRlsProvider
      .create({ databaseUrl: db.url, table: "scratch", rls: { model: "owner", column: "id" } })
      .catch((error: Error) => error);
    // An int column cannot equal a uuid: Postgres refuses, the transaction leaves the table untouched.
    expect(created).toBeInstanceOf(Error);
    expect((created as Error).message).toMatch(/scratch.*operator does not exist: integer = uuid/s);
    expect(await catalogFlags("public.scratch")).toEqual({ enabled: false, forced: false });

    await admin(db.url, "ALTER TABLE public.scratch ADD COLUMN owner_id uuid");
    const made = await tableRlsProvider.create({
      databaseUrl: db.url,
      table: "scratch",
      rls: { model: "owner", column: "owner_id" },
    });
    await tableRlsProvider.delete!(made.id, made.outs!);
    expect(await admin(db.url, "SELECT 1 FROM pg_policies WHERE tablename = 'scratch'")).toEqual([]);
    expect(await catalogFlags("public.scratch")).toEqual({ enabled: true, forced: true });
    const gone = await tableRlsProvider.read!(made.id, made.outs!);
    expect(gone.props!.observed.policies).toEqual({});
  });
});

describe("isolation probes", () => {
  it("anon sees no rows and cannot write", async () => {
    await asRole(db.url, "anon", undefined, async (q) => {
      expect(await q("SELECT * FROM custom_kpis")).toEqual([]);
      expect(await q("SELECT * FROM notes")).toEqual([]);
      expect(await q("SELECT * FROM workspaces")).toEqual([]);
      expect(await errorOf(q("INSERT INTO notes (owner_id, body) VALUES ($1, 'x')", [USER_A]))).toMatch(
        /row-level security/,
      );
      expect(await q("UPDATE custom_kpis SET name = 'x' RETURNING id")).toEqual([]);
      expect(await q("DELETE FROM notes RETURNING id")).toEqual([]);
    });
  });

  it("an authenticated member of tenant A sees only A's rows and cannot touch B's", async () => {
    await asRole(db.url, "authenticated", USER_A, async (q) => {
      expect(await q("SELECT name FROM custom_kpis")).toEqual([{ name: "kpi a" }]);
      expect(await q("SELECT name FROM workspaces")).toEqual([{ name: "A" }]);
      expect(
        await q("UPDATE custom_kpis SET name = 'hijacked' WHERE workspace_id = $1 RETURNING id", [TENANT_B]),
      ).toEqual([]);
      expect(await q("DELETE FROM custom_kpis WHERE workspace_id = $1 RETURNING id", [TENANT_B])).toEqual([]);
      expect(
        await errorOf(q("INSERT INTO custom_kpis (workspace_id, name) VALUES ($1, 'x')", [TENANT_B])),
      ).toMatch(/row-level security/);
      // WITH CHECK on UPDATE: A cannot move its own row into B.
      expect(await errorOf(q("UPDATE custom_kpis SET workspace_id = $1", [TENANT_B]))).toMatch(
        /row-level security/,
      );
      expect(
        await q("INSERT INTO custom_kpis (workspace_id, name) VALUES ($1, 'new a') RETURNING name", [
          TENANT_A,
        ]),
      ).toEqual([{ name: "new a" }]);
    });
  });

  it("an authenticated owner A sees only A's notes and cannot write B's", async () => {
    await asRole(db.url, "authenticated", USER_A, async (q) => {
      expect(await q("SELECT body FROM notes")).toEqual([{ body: "note a" }]);
      expect(await q("UPDATE notes SET body = 'x' WHERE owner_id = $1 RETURNING id", [USER_B])).toEqual([]);
      expect(await errorOf(q("INSERT INTO notes (owner_id, body) VALUES ($1, 'x')", [USER_B]))).toMatch(
        /row-level security/,
      );
    });
    await asRole(db.url, "authenticated", USER_B, async (q) => {
      expect(await q("SELECT body FROM notes")).toEqual([{ body: "note b" }]);
    });
  });

  it("the service role sees every row", async () => {
    await asRole(db.url, "service_role", undefined, async (q) => {
      expect(await q("SELECT name FROM custom_kpis ORDER BY name")).toEqual([
        { name: "kpi a" },
        { name: "kpi b" },
      ]);
      expect(await q("SELECT body FROM notes ORDER BY body")).toEqual([
        { body: "note a" },
        { body: "note b" },
      ]);
    });
  });
});

describe("drift", () => {
  it("detects RLS disabled, a policy dropped and a policy edited by hand, and repairs them", async () => {
    await admin(
      db.url,
      `ALTER TABLE public.custom_kpis DISABLE ROW LEVEL SECURITY;
       DROP POLICY custom_kpis_tenant_select ON public.custom_kpis;
       ALTER POLICY custom_kpis_tenant_delete ON public.custom_kpis USING (true);
       CREATE POLICY "open door" ON public.custom_kpis FOR SELECT TO anon USING (true);`,
    );
    const outs = applied.get("public.custom_kpis")!;
    const read = await tableRlsProvider.read!("public.custom_kpis", outs);
    expect(read.props!.observed.rlsEnabled).toBe(false);
    expect(tableRlsDifferences(read.props!, outs).sort()).toEqual([
      'public.custom_kpis: policy "custom_kpis_tenant_delete" differs from its declaration or was edited by hand',
      'public.custom_kpis: policy "custom_kpis_tenant_select" is missing',
      'public.custom_kpis: policy "open door" is not declared',
      "public.custom_kpis: row level security is disabled",
    ]);
    expect(await tableRlsProvider.diff!("public.custom_kpis", read.props!, outs)).toMatchObject({
      changes: true,
    });

    const repaired = (await tableRlsProvider.update!("public.custom_kpis", read.props!, outs)).outs!;
    expect(repaired.observed).toEqual(outs.observed);
    const after = await tableRlsProvider.read!("public.custom_kpis", repaired);
    expect(tableRlsDifferences(after.props!, outs)).toEqual([]);
    await asRole(db.url, "anon", undefined, async (q) => {
      expect(await q("SELECT * FROM custom_kpis")).toEqual([]);
    });
    await asRole(db.url, "authenticated", USER_A, async (q) => {
      expect(await q("SELECT name FROM custom_kpis")).toEqual([{ name: "kpi a" }]);
    });
  });
});

describe("bad inputs leave the database as it was", () => {
  async function snapshot() {
    return admin(
      db.url,
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT array_agg(polname ORDER BY polname) FROM pg_policy WHERE polrelid = c.oid) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
    );
  }

  it("a policy expression that does not parse fails naming the policy", async () => {
    const before = await snapshot();
    const error = await errorOf(
      tableRlsProvider.create({
        databaseUrl: db.url,
        table: "workspaces",
        rls: {
          model: "policies",
          policies: [
            { name: "fine", command: "select", roles: ["authenticated"], using: "true" },
            { name: "broken", command: "delete", roles: ["authenticated"], using: "id = = 1" },
          ],
        },
      }),
    );
    expect(error).toMatch(/policy "broken".*syntax error/s);
    expect(await snapshot()).toEqual(before);
  });

  it("a missing table names the table and the migration that must create it", async () => {
    const inputs: TableRlsInputs = {
      databaseUrl: db.url,
      table: "soumissions_disponibilites",
      rls: { model: "owner", column: "user_id" },
      migration: "supabase db push",
    };
    const error = await errorOf(tableRlsProvider.create(inputs));
    expect(error).toBe(
      "Table public.soumissions_disponibilites does not exist. Tables belong to the app's migrations: the app's " +
        "migration (supabase db push) must create public.soumissions_disponibilites before row level security can be applied.",
    );
    const read = await tableRlsProvider.read!("public.soumissions_disponibilites", {
      ...inputs,
      observed: { rlsEnabled: true, rlsForced: true, policies: {} },
    });
    expect(read).toEqual({});
  });

  it("bad identifiers, PUBLIC and half-specified UPDATE policies are refused by check", async () => {
    const bad = (table: string, rls: TableRlsInputs["rls"]) =>
      tableRlsProvider.check!({} as TableRlsInputs, { databaseUrl: db.url, table, rls });
    expect((await bad("notes; drop table notes", { model: "owner", column: "owner_id" })).failures).toEqual([
      {
        property: "table",
        reason: `Invalid table "notes; drop table notes": use letters, digits, '_' and '$', starting with a letter or '_'`,
      },
      expect.objectContaining({ property: "rls" }),
    ]);
    expect(
      (await bad("notes", { model: "owner", column: 'owner_id" or true --' })).failures?.[0].reason,
    ).toMatch(/Invalid owner column/);
    expect(
      (
        await bad("notes", {
          model: "policies",
          policies: [{ name: "p", command: "select", roles: ["PUBLIC"], using: "true" }],
        })
      ).failures?.[0].reason,
    ).toMatch(/never granted TO PUBLIC/);
    expect(
      (
        await bad("notes", {
          model: "policies",
          policies: [{ name: "p", command: "update", roles: ["authenticated"], using: "true" }],
        })
      ).failures?.[0].reason,
    ).toMatch(/UPDATE policy needs a WITH CHECK expression/);
    expect(
      (
        await bad("notes", {
          model: "policies",
          policies: [
            { name: "p", command: "select", roles: ["authenticated"], using: "true); DROP TABLE notes; --" },
          ],
        })
      ).failures?.[0].reason,
    ).toMatch(/unbalanced/);
  });
});
