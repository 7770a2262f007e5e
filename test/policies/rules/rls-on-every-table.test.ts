import { describe, expect, it } from "vitest";
import { PG } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  projectWithCatalog,
  resource,
  violationsOf,
} from "../support";
import { catalogApps } from "../../support/catalog";

const RULE = "rls-on-every-table";
const S = "prod";

const analytics = appComponent(S, "workspace-analytics");
const submissions = appComponent(S, "submissions");
const rls = (
  app: typeof analytics,
  table: string,
  model: Record<string, unknown> = { model: "owner", column: "user_id" },
) =>
  resource(
    S,
    PG.tableRls,
    `${app.name}-db-rls-${table}`,
    { databaseUrl: "[secret]", table, rls: model },
    { parent: app },
  );

/** Every table the real catalog declares for the prod stack, with its RLS resource under its app. */
const baseline = Object.entries(catalogApps(S)).flatMap(([app, spec]) => {
  const tables = Object.keys(spec.database?.tables ?? {});
  if (tables.length === 0) return [];
  const component = appComponent(S, app);
  // A schema-qualified name counts as the table.
  return [component, ...tables.map((t) => rls(component, app === "submissions" ? `public.${t}` : t))];
});

describe(RULE, () => {
  it("passes when every catalog table has its RLS resource", async () => {
    await expectCompliant(RULE, baseline);
  });

  it("reports a catalog table without RLS, on its app", async () => {
    const missing = baseline.filter((r) => r.name !== "workspace-analytics-db-rls-custom_kpis");
    await expectViolation(
      RULE,
      missing,
      analytics.urn,
      /table custom_kpis is declared in the catalog but has no Row Level/,
    );
  });

  it("does not count an RLS resource of another app", async () => {
    const misplaced = [
      ...baseline.filter((r) => !r.name.startsWith("submissions-db")),
      rls(analytics, "soumissions_disponibilites"),
    ];
    await expectViolation(RULE, misplaced, submissions.urn, /soumissions_disponibilites is declared/);
  });

  it("reports a table whose explicit model has no policy", async () => {
    const empty = rls(submissions, "soumissions_disponibilites", { model: "policies", policies: [] });
    const tables = [...baseline.filter((r) => !r.name.startsWith("submissions-db")), empty];
    await expectViolation(RULE, tables, empty.urn, /has Row Level Security but no policy/);
  });

  it("accepts no policy on a service-only table (only the service role reaches it)", async () => {
    const dir = projectWithCatalog([
      [
        ["submissions", "database", "tables", "admin_notes"],
        { columns: { id: "uuid", note: "text" }, rls: { model: "service-only" } },
      ],
    ]);
    const notes = rls(submissions, "admin_notes", { model: "policies", policies: [] });
    expect(await violationsOf(RULE, S, [...baseline, notes], { projectDir: dir })).toEqual([]);
    const without = await violationsOf(RULE, S, baseline, { projectDir: dir });
    expect(without.map((v) => v.message)).toEqual([
      "submissions: table admin_notes is declared in the catalog but has no Row Level Security resource",
    ]);
  });
});
