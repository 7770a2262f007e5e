import { describe, expect, it } from "vitest";
import { PG } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  projectWithCatalog,
  resource,
  violationsOf,
  withInput,
} from "../support";
import { catalogApps } from "../../support/catalog";

const RULE = "audit-logs";
const S = "prod";

/** The prod catalog's apps with a database, and the tables each audits: those it declares. */
const AUDITED: Record<string, string[]> = Object.fromEntries(
  Object.entries(catalogApps(S))
    .filter(([, spec]) => spec.database)
    .map(([app, spec]) => [app, Object.keys(spec.database!.tables)]),
);
const apps = Object.keys(AUDITED).map((app) => appComponent(S, app));
const mapquiz = apps.find((a) => a.name === "mapquiz")!;
const platform = apps.map((app) =>
  resource(
    S,
    PG.platformTables,
    `${app.name}-db-platform-tables`,
    { databaseUrl: "[secret]", auditedTables: AUDITED[app.name] },
    { parent: app },
  ),
);
const baseline = [...apps, ...platform];
const analytics = platform.find((r) => r.name === "workspace-analytics-db-platform-tables")!;

describe(RULE, () => {
  it("passes when every app database has audit_logs and audits its tables", async () => {
    await expectCompliant(RULE, baseline);
  });

  it("reports an app database without its platform tables", async () => {
    const without = baseline.filter((r) => r.name !== "mapquiz-db-platform-tables");
    await expectViolation(RULE, without, mapquiz.urn, /mapquiz: the database has no audit_logs table/);
  });

  it("reports a table the catalog audits that has no audit trigger", async () => {
    const bad = withInput(
      analytics,
      ["auditedTables"],
      ["workspaces", "public.workspace_datasets", "user_roles"],
    );
    await expectViolation(
      RULE,
      [...apps, ...platform.map((r) => (r.urn === bad.urn ? bad : r))],
      bad.urn,
      /table custom_kpis are not captured/,
    );
  });

  it("reports platform tables that leave audit_logs out", async () => {
    const bad = withInput(analytics, ["tables"], ["qa_reports"]);
    const resources = [...apps, ...platform.map((r) => (r.urn === bad.urn ? bad : r))];
    await expectViolation(
      RULE,
      resources,
      bad.urn,
      /workspace-analytics: the platform tables leave out audit_logs/,
    );
    await expectCompliant(RULE, [
      ...apps,
      ...platform.map((r) => (r.urn === bad.urn ? withInput(r, ["tables"], ["audit_logs"]) : r)),
    ]);
  });

  it("reports a catalog that leaves audit_logs out of an app's platform tables", async () => {
    const dir = projectWithCatalog([
      [["mapquiz", "database", "platformTables"], []],
      [["mapquiz", "jobs", "purge-audit-logs"], undefined],
    ]);
    const found = await violationsOf(RULE, S, baseline, { projectDir: dir });
    expect(found).toEqual([
      {
        enforcement: "mandatory",
        urn: mapquiz.urn,
        message: "mapquiz: the catalog's database.platformTables leaves out audit_logs",
      },
    ]);
  });
});
