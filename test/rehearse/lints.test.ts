/**
 * The linter checks: nothing found on workspace-analytics' layer as declared, and each check finds
 * the flaw its splinter namesake describes once that flaw is made by hand.
 */
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supabaseCompatProvider } from "../../infra/providers/postgres";
import { applyLayer } from "../../tools/rehearse/apply";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { LINTS, runLints } from "../../tools/rehearse/lints";
import { targetFor } from "../../tools/rehearse/rehearse";
import { createStandIns, standInTables } from "../../tools/rehearse/stand-ins";
import { appLayer } from "./support";

let server: ThrowawayPostgres;

async function admin(...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Lint name → its findings (failed probes only). */
async function findings(): Promise<Record<string, string>> {
  const results = await runLints(server.url);
  return Object.fromEntries(
    results.filter((r) => r.outcome === "failed").map((r) => [r.subject.replace(/^lint /, ""), r.detail!]),
  );
}

beforeAll(async () => {
  server = await startThrowawayPostgres();
  await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
  const { spec, plan } = appLayer("dev", "workspace-analytics");
  const tables = standInTables(spec.database!);
  const target = targetFor(server.url, plan);
  await applyLayer(plan, target, {
    skip: (step) => (step.requires === "pg_cron" ? "pg_cron not installed" : undefined),
    beforeTables: () => createStandIns(target.roleUrls.migrator, tables),
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("linter checks", () => {
  it("find nothing on the layer as declared, under splinter's names", async () => {
    const results = await runLints(server.url);
    expect(results.map((r) => r.subject)).toEqual(LINTS.map((l) => `lint ${l.name}`));
    expect(results.map((r) => r.subject)).toEqual(
      expect.arrayContaining([
        "lint rls_disabled_in_public",
        "lint rls_enabled_no_policy",
        "lint policy_exists_rls_disabled",
        "lint function_search_path_mutable",
        "lint anon_security_definer_function_executable",
        "lint authenticated_security_definer_function_executable",
        "lint auth_rls_initplan",
        "lint multiple_permissive_policies",
      ]),
    );
    expect(await findings()).toEqual({});
  });

  it("each finds the flaw it is named after", async () => {
    await admin(
      "CREATE TABLE public.lint_no_rls (id int)",
      "CREATE TABLE public.lint_no_policy (id int)",
      "ALTER TABLE public.lint_no_policy ENABLE ROW LEVEL SECURITY",
      "CREATE TABLE public.lint_policy_off (id uuid)",
      "CREATE POLICY lint_per_row ON public.lint_policy_off FOR SELECT TO authenticated USING (id = auth.uid())",
      "CREATE POLICY lint_second ON public.lint_policy_off FOR ALL TO authenticated USING (true) WITH CHECK (true)",
      "CREATE FUNCTION public.lint_mutable() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      "CREATE FUNCTION public.lint_definer() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1'",
    );
    try {
      const found = await findings();
      expect(Object.keys(found).sort()).toEqual(
        [
          "rls_disabled_in_public",
          "rls_enabled_no_policy",
          "policy_exists_rls_disabled",
          "function_search_path_mutable",
          "anon_security_definer_function_executable",
          "authenticated_security_definer_function_executable",
          "auth_rls_initplan",
          "multiple_permissive_policies",
        ].sort(),
      );
      expect(found["rls_disabled_in_public"]).toBe("2 found: lint_no_rls; lint_policy_off");
      expect(found["rls_enabled_no_policy"]).toBe("1 found: lint_no_policy");
      expect(found["function_search_path_mutable"]).toContain("lint_mutable()");
      expect(found["auth_rls_initplan"]).toBe("1 found: lint_policy_off.lint_per_row: auth.uid()");
      expect(found["multiple_permissive_policies"]).toBe(
        "1 found: lint_policy_off SELECT for authenticated: lint_per_row, lint_second",
      );
    } finally {
      await admin(
        "DROP TABLE public.lint_no_rls, public.lint_no_policy, public.lint_policy_off",
        "DROP FUNCTION public.lint_mutable(), public.lint_definer()",
      );
    }
  });
});
