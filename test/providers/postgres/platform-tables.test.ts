import { beforeAll, describe, expect, it } from "vitest";
import {
  platformTablesDifferences,
  platformTablesProvider,
  watchChanges,
  type PlatformTablesInputs,
  type PlatformTablesOutputs,
} from "../../../infra/providers/postgres";
import { admin, asRole, errorOf, TENANT_A, USER_A, useServer } from "./helpers";

const db = useServer();

beforeAll(async () => {
  // The app runtime role: no superuser, no BYPASSRLS, DML on the app tables only.
  await admin(
    db.url,
    `CREATE ROLE app_runtime NOLOGIN;
     GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes, public.custom_kpis TO app_runtime;
     GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_runtime;`,
  );
});

const inputs = (): PlatformTablesInputs => ({
  databaseUrl: db.url,
  auditedTables: ["notes", "public.custom_kpis"],
});

describe("PlatformTables lifecycle", () => {
  let outs: PlatformTablesOutputs;

  it("creates audit_logs, qa_reports and backup_metadata with RLS forced, and audit triggers", async () => {
    const created = await platformTablesProvider.create(inputs());
    expect(created.id).toBe("public.platform");
    outs = created.outs!;
    expect(outs.observed.ownerRole).toBe("postgres");
    expect(outs.observed.auditFunctionCurrent).toBe(true);
    expect(outs.observed.auditedTables).toEqual(["public.custom_kpis", "public.notes"]);
    for (const table of ["audit_logs", "qa_reports", "backup_metadata"]) {
      expect(outs.observed.tables[table]).toMatchObject({ rlsEnabled: true, rlsForced: true });
    }
    expect(platformTablesDifferences(outs.observed, inputs())).toEqual([]);
  });

  it("records who changed what, before and after, even for a role that cannot read audit_logs", async () => {
    await asRole(db.url, "app_runtime", USER_A, async (q) => {
      await q("UPDATE notes SET body = 'edited' WHERE owner_id = $1", [USER_A]);
      await q("INSERT INTO custom_kpis (workspace_id, name) VALUES ($1, 'kpi c')", [TENANT_A]);
      expect(await errorOf(q("SELECT * FROM audit_logs"))).toMatch(/permission denied/);
    });
    // asRole rolls back; record a committed change to inspect.
    await admin(db.url, "DELETE FROM public.notes WHERE body = 'note b'");
    const rows = await admin<Record<string, unknown>>(
      db.url,
      "SELECT actor, actor_role, table_name, action, row_before->>'body' AS before, row_after FROM audit_logs ORDER BY id",
    );
    expect(rows).toEqual([
      {
        actor: null,
        actor_role: "postgres",
        table_name: "notes",
        action: "DELETE",
        before: "note b",
        row_after: null,
      },
    ]);
    await asRole(db.url, "app_runtime", USER_A, async (q) => {
      await q("UPDATE notes SET body = 'edited' WHERE owner_id = $1", [USER_A]);
      // Read back inside the same (rolled back) transaction, as the owner would see it.
      await q("RESET ROLE");
      expect(
        await q(
          "SELECT actor, actor_role, action, row_before->>'body' AS b, row_after->>'body' AS a FROM audit_logs WHERE action = 'UPDATE'",
        ),
      ).toEqual([{ actor: USER_A, actor_role: "app_runtime", action: "UPDATE", b: "note a", a: "edited" }]);
    });
  });

  it("lets authenticated users file and read only their own QA reports; anon sees nothing", async () => {
    await admin(db.url, "GRANT SELECT, INSERT ON public.qa_reports TO authenticated, anon");
    await admin(db.url, "INSERT INTO public.qa_reports (reporter, subject) VALUES ($1, 'other')", [TENANT_A]);
    await asRole(db.url, "authenticated", USER_A, async (q) => {
      expect(await q("INSERT INTO qa_reports (subject) VALUES ('mine') RETURNING reporter")).toEqual([
        { reporter: USER_A },
      ]);
      expect(await q("SELECT subject FROM qa_reports")).toEqual([{ subject: "mine" }]);
      expect(
        await errorOf(q("INSERT INTO qa_reports (reporter, subject) VALUES ($1, 'x')", [TENANT_A])),
      ).toMatch(/row-level security/);
    });
    await asRole(db.url, "anon", undefined, async (q) => {
      expect(await q("SELECT * FROM qa_reports")).toEqual([]);
    });
  });

  it("repairs a dropped trigger, a replaced function and disabled RLS; then re-applies with zero DDL", async () => {
    await admin(
      db.url,
      `DROP TRIGGER launchpad_audit ON public.notes;
       ALTER TABLE public.backup_metadata NO FORCE ROW LEVEL SECURITY;
       CREATE OR REPLACE FUNCTION public.launchpad_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;`,
    );
    const read = await platformTablesProvider.read!("public.platform", outs);
    expect(platformTablesDifferences(read.props!.observed, inputs())).toEqual([
      "public.backup_metadata: row level security is not forced",
      "public.launchpad_audit(): missing, modified or executable by PUBLIC",
      "public.notes: audit trigger missing",
    ]);
    expect(await platformTablesProvider.diff!("public.platform", read.props!, inputs())).toEqual({
      changes: true,
    });
    outs = (await platformTablesProvider.update!("public.platform", read.props!, inputs())).outs!;
    expect(platformTablesDifferences(outs.observed, inputs())).toEqual([]);

    const watch = watchChanges();
    await platformTablesProvider.update!("public.platform", outs, inputs());
    await platformTablesProvider.create(inputs());
    watch.stop();
    expect(watch.statements).toEqual([]);
  });

  it("drops the trigger of a table no longer audited", async () => {
    const news = { ...inputs(), auditedTables: ["notes"] };
    expect(await platformTablesProvider.diff!("public.platform", outs, news)).toEqual({ changes: true });
    outs = (await platformTablesProvider.update!("public.platform", outs, news)).outs!;
    expect(outs.observed.auditedTables).toEqual(["public.notes"]);
  });

  it("fails on a missing audited table before creating anything", async () => {
    await admin(db.url, "CREATE SCHEMA ops");
    const error = await errorOf(
      platformTablesProvider.create({
        databaseUrl: db.url,
        schema: "ops",
        auditedTables: ["soumissions_disponibilites"],
        migration: "supabase/migrations",
      }),
    );
    expect(error).toMatch(
      /^Table public\.soumissions_disponibilites does not exist\. .*migration \(supabase\/migrations\) must create/,
    );
    expect(await admin(db.url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'ops'")).toEqual([
      { n: 0 },
    ]);
  });

  it("refuses to audit a platform table in check", async () => {
    const result = await platformTablesProvider.check!(inputs(), {
      ...inputs(),
      auditedTables: ["audit_logs"],
    });
    expect(result.failures).toEqual([
      {
        property: "auditedTables",
        reason: "public.audit_logs is a platform table; only app tables can be audited",
      },
    ]);
  });

  it("deletes triggers, function and tables", async () => {
    await platformTablesProvider.delete!("public.platform", outs);
    expect(
      await admin(
        db.url,
        "SELECT tablename FROM pg_tables WHERE tablename IN ('audit_logs', 'qa_reports', 'backup_metadata')",
      ),
    ).toEqual([]);
    expect(await admin(db.url, "SELECT tgname FROM pg_trigger WHERE tgname = 'launchpad_audit'")).toEqual([]);
    expect(await platformTablesProvider.read!("public.platform", outs)).toEqual({});
  });
});
