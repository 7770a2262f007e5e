/**
 * The attack suite against workspace-analytics' applied layer: every attack holds as declared, and
 * each defence, dropped by hand, lets its attack through — so the suite would see the defence go.
 */
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supabaseCompatProvider } from "../../infra/providers/postgres";
import { applyLayer } from "../../tools/rehearse/apply";
import { runAttackSuite } from "../../tools/rehearse/attack-suite";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { targetFor } from "../../tools/rehearse/rehearse";
import { createStandIns, standInTables } from "../../tools/rehearse/stand-ins";
import type { AttackContext } from "../../tools/rehearse/attacks-rows";
import { appLayer } from "./support";

const { spec, plan } = appLayer("dev", "workspace-analytics");
const database = spec.database!;
const [membership, membershipSpec] = Object.entries(database.tables).find(
  ([, t]) => t.rls.model === "membership",
)!;
const userColumn = membershipSpec.rls.model === "membership" ? membershipSpec.rls.userColumn : "";
const { migrator, runtime } = plan.roles;

let server: ThrowawayPostgres;
let ctx: AttackContext;

async function admin(...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Attacks that got through, as `attacker move` of their subject. */
async function breaches(): Promise<string[]> {
  const results = await runAttackSuite(ctx);
  return results.filter((r) => r.attack && r.outcome === "failed").map((r) => `${r.subject}: ${r.probe}`);
}

beforeAll(async () => {
  server = await startThrowawayPostgres();
  await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
  const tables = standInTables(database);
  const target = targetFor(server.url, plan);
  await applyLayer(plan, target, {
    skip: (step) => (step.requires === "pg_cron" ? "pg_cron not installed" : undefined),
    beforeTables: () => createStandIns(target.roleUrls.migrator, tables),
  });
  ctx = {
    adminUrl: server.url,
    plan,
    roleUrls: target.roleUrls,
    tables,
    platformTables: database.platformTables,
    buckets: Object.keys(spec.buckets),
  };
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("the attack suite on the layer as declared", () => {
  it("tries attacks on every table of the catalog, and every one holds", async () => {
    const results = await runAttackSuite(ctx);
    const attacks = results.filter((r) => r.attack);
    for (const table of [...Object.keys(database.tables), ...database.platformTables]) {
      expect(attacks.some((a) => a.subject === `table ${table}`)).toBe(true);
    }
    expect(attacks.filter((a) => a.outcome !== "passed")).toEqual([]);
    // The controls: the membership table is usable, not merely closed.
    expect(results.filter((r) => !r.attack).map((r) => [r.probe, r.outcome])).toEqual([
      ["a member reads its own membership", "passed"],
      ["an admin adds a member to its own tenant", "passed"],
    ]);
  });
});

describe("each defence, dropped by hand, lets its attack through", () => {
  it("a membership table its members may write: self-join, move and raise succeed", async () => {
    const t = `public."${membership}"`;
    await admin(
      `CREATE POLICY self_insert ON ${t} FOR INSERT TO authenticated WITH CHECK ("${userColumn}" = (select auth.uid()))`,
      `CREATE POLICY self_update ON ${t} FOR UPDATE TO authenticated USING ("${userColumn}" = (select auth.uid())) WITH CHECK ("${userColumn}" = (select auth.uid()))`,
    );
    try {
      expect(await breaches()).toEqual(
        expect.arrayContaining([
          `table ${membership}: user C (member of A) adds itself to tenant B`,
          `table ${membership}: user C (member of A) moves its membership to tenant B`,
          `table ${membership}: user C (member of A) raises its own role`,
          `table ${membership}: user A (admin of A) adds itself to tenant B`,
        ]),
      );
    } finally {
      await admin(`DROP POLICY self_insert ON ${t}`, `DROP POLICY self_update ON ${t}`);
    }
  }, 60_000);

  it("TEMP for PUBLIC, then EXECUTE on the audit function, then its unguarded body: each layer gives way in turn", async () => {
    const forge =
      "function launchpad_audit: login " +
      runtime.name +
      " forges audit rows through a trigger on a table of its own";
    const cast =
      "function launchpad_audit: login " +
      runtime.name +
      " runs its code as the migrator through a type and a cast to json";
    const temp = "database: login " + runtime.name + " creates a temporary table";
    await admin(
      `DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$`,
    );
    try {
      let found = await breaches();
      expect(found).toContain(temp);
      expect(found).not.toContain(forge);

      await admin("GRANT EXECUTE ON FUNCTION public.launchpad_audit() TO PUBLIC");
      found = await breaches();
      expect(found).not.toContain(forge);
      expect(found).not.toContain(cast);

      // The function as it was: every table, and search_path '' (pg_temp searched first for types).
      await admin(
        `SET ROLE "${migrator.name}"`,
        `CREATE OR REPLACE FUNCTION public.launchpad_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
           AS $f$ BEGIN
             INSERT INTO public.audit_logs (actor_role, table_schema, table_name, action, row_after)
             VALUES ('x', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, to_jsonb(NEW));
             RETURN NULL;
           END $f$`,
        "RESET ROLE",
      );
      found = await breaches();
      expect(found).toEqual(expect.arrayContaining([forge, cast]));
    } finally {
      await admin(
        `DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$`,
        "REVOKE EXECUTE ON FUNCTION public.launchpad_audit() FROM PUBLIC",
      );
    }
  }, 120_000);

  it("EXECUTE for PUBLIC on the migrator's future functions: a later SECURITY DEFINER function is callable", async () => {
    await admin(`ALTER DEFAULT PRIVILEGES FOR ROLE "${migrator.name}" GRANT EXECUTE ON FUNCTIONS TO PUBLIC`);
    try {
      expect(await breaches()).toEqual(
        expect.arrayContaining([
          "future function: anon calls a SECURITY DEFINER function a later migration created",
          `future function: login ${runtime.name} calls a SECURITY DEFINER function a later migration created`,
        ]),
      );
    } finally {
      await admin(
        `ALTER DEFAULT PRIVILEGES FOR ROLE "${migrator.name}" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC`,
      );
    }
  }, 60_000);

  it("default table privileges for the runtime: a later table without RLS is readable", async () => {
    await admin(
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${migrator.name}" IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO "${runtime.name}"`,
    );
    try {
      expect(await breaches()).toEqual(
        expect.arrayContaining([
          `future table: login ${runtime.name} reads a table a later migration created`,
          `future table: login ${runtime.name} writes a table a later migration created`,
        ]),
      );
    } finally {
      await admin(
        `ALTER DEFAULT PRIVILEGES FOR ROLE "${migrator.name}" IN SCHEMA public REVOKE SELECT, INSERT ON TABLES FROM "${runtime.name}"`,
      );
    }
  }, 60_000);
});
