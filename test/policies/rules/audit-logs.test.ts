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

const RULE = "audit-logs";
const S = "prod";

/** The prod catalog's apps with a database, and the tables each audits. */
const AUDITED: Record<string, string[]> = {
  sheet2scene: [],
  "workspace-analytics": ["workspaces", "workspace_datasets", "custom_kpis", "user_roles"],
  submissions: ["soumissions_disponibilites"],
  mapquiz: [],
  "mona-spark": [],
};
const apps = Object.keys(AUDITED).map((app) => appComponent(S, app));
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
const analytics = platform[1]!;

describe(RULE, () => {
  it("passes when every app database has audit_logs and audits its tables", async () => {
    await expectCompliant(RULE, baseline);
  });

  it("reports an app database without its platform tables", async () => {
    const without = baseline.filter((r) => r.name !== "mapquiz-db-platform-tables");
    await expectViolation(RULE, without, apps[3]!.urn, /mapquiz: the database has no audit_logs table/);
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
        urn: apps[3]!.urn,
        message: "mapquiz: the catalog's database.platformTables leaves out audit_logs",
      },
    ]);
  });
});
