/**
 * The rehearsal's own machinery, on a real server: its probes see a leak made by hand, its
 * second-apply count sees a change, it leaves a server as it found it, and its stand-in rows tie
 * users to tenants the way the catalog's models say.
 */
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supabaseCompatProvider } from "../../infra/providers/postgres";
import { applyLayer, reapplyLayer, type Applied } from "../../tools/rehearse/apply";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { rehearseStack, targetFor } from "../../tools/rehearse/rehearse";
import { baselineOf, cleanUp } from "../../tools/rehearse/server-state";
import { createStandIns, standInTables, TENANT, USER } from "../../tools/rehearse/stand-ins";
import { probeTable } from "../../tools/rehearse/table-probes";
import { appLayer } from "./support";

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(async () => {
  await server?.stop();
});

async function admin<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("stand-in rows", () => {
  it("tie each party's user to its tenant through the membership table", () => {
    const tables = standInTables(appLayer("dev", "workspace-analytics").spec.database!);
    const rows = Object.fromEntries(tables.map((t) => [t.table, t.rows]));
    expect(rows["user_roles"]!.A).toMatchObject({ user_id: USER.A, workspace_id: TENANT.A });
    expect(rows["user_roles"]!.B).toMatchObject({ user_id: USER.B, workspace_id: TENANT.B });
    expect(rows["workspaces"]!.A["id"]).toBe(TENANT.A);
    expect(rows["custom_kpis"]!.B["workspace_id"]).toBe(TENANT.B);
  });
});

describe("on an applied layer (workspace-analytics)", () => {
  const { spec, plan } = appLayer("dev", "workspace-analytics");
  const tables = standInTables(spec.database!);
  let applied: Applied[];
  let baseline: Awaited<ReturnType<typeof baselineOf>>;

  beforeAll(async () => {
    baseline = await baselineOf(server.url);
    await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
    const target = targetFor(server.url, plan);
    const result = await applyLayer(plan, target, {
      skip: (step) => (step.requires === "pg_cron" ? "pg_cron not installed" : undefined),
      beforeTables: () => createStandIns(target.roleUrls.migrator, tables),
    });
    applied = result.applied;
  });
  afterAll(async () => {
    if (baseline) await cleanUp(server.url, plan, baseline);
  });

  it("isolation probes pass on the layer as declared", async () => {
    const results = await probeTable(
      { adminUrl: server.url, plan, auditLogs: true },
      tables.find((t) => t.table === "custom_kpis")!,
    );
    expect(results.filter((r) => r.outcome !== "passed")).toEqual([]);
  });

  it("isolation probes fail when a permissive policy is added by hand", async () => {
    await admin('CREATE POLICY "leak" ON public.custom_kpis FOR SELECT TO authenticated USING (true)');
    const results = await probeTable(
      { adminUrl: server.url, plan, auditLogs: true },
      tables.find((t) => t.table === "custom_kpis")!,
    );
    expect(results.filter((r) => r.outcome === "failed").map((r) => [r.probe, r.detail])).toEqual([
      ["user A reads its own rows", "expected 1 rows, got 2 rows"],
      ["user A reads none of B's rows", "expected no row, got 1 rows"],
    ]);
  });

  it("a second apply repairs that hand edit, and its change statements are counted", async () => {
    const second = await reapplyLayer(applied);
    expect(second.changed).toEqual(["rls-custom-kpis"]);
    expect(second.statements).toEqual(['DROP POLICY "leak" ON "public"."custom_kpis"']);
    const third = await reapplyLayer(applied);
    expect(third).toEqual({ changed: [], statements: [] });
  });
});

describe("a rehearsal on a given server", () => {
  const snapshot = () =>
    admin(
      `SELECT (SELECT array_agg(rolname::text ORDER BY rolname) FROM pg_roles) AS roles,
              (SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace) AS schemas,
              (SELECT array_agg(schemaname || '.' || tablename ORDER BY 1) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')) AS tables,
              (SELECT array_agg(extname::text ORDER BY extname) FROM pg_extension) AS extensions,
              has_schema_privilege('authenticated', 'public', 'USAGE') AS usage,
              (SELECT array_agg(a.privilege_type::text ORDER BY 1) FROM pg_database d,
                      aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                WHERE d.datname = current_database() AND a.grantee = 0) AS public_database`,
    );

  it("leaves it as it found it, Supabase's roles and other tables included", async () => {
    await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
    await admin("CREATE TABLE public.someone_elses (id integer)");
    const before = await snapshot();
    const report = await rehearseStack({
      stack: "dev",
      databaseUrl: server.url,
      apps: [appLayer("dev", "submissions")],
    });
    // The only finding is the table of someone else's, exposed in public without RLS: reported, left alone.
    expect(
      report.apps[0]!.probes.filter((p) => p.outcome === "failed").map((p) => [p.subject, p.detail]),
    ).toEqual([["lint rls_disabled_in_public", "1 found: someone_elses"]]);
    expect(await snapshot()).toEqual(before);
  });
});
