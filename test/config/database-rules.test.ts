/** Config rules of the database layer: each bad value is refused at its key path, secrets never echoed. */
import { describe, expect, it } from "vitest";
import type { ConfigIssue, LayeredConfig } from "../../infra/config";
import { appsOf, configIssues, realConfig, secretValuesFor, withSecrets } from "../support/config-fixtures";

const ADMIN_URL = "postgresql://admin:s3cr3t-pw@db.example.com:5432/postgres?sslmode=require";

/** The dev stack's config with every secret set; `admin` replaces submissions' admin URL. */
function devConfig(edit: (apps: Record<string, Record<string, any>>) => void = () => {}, admin = ADMIN_URL) {
  const config: LayeredConfig = realConfig("dev");
  edit(appsOf(config));
  const values = secretValuesFor("dev", (_app, name) =>
    name.endsWith("WEBHOOK_URL")
      ? "https://discord.com/api/webhooks/1/t"
      : name.endsWith("ADMIN_URL")
        ? ADMIN_URL
        : "v",
  );
  values["submissions"]!["DATABASE_ADMIN_URL"] = admin;
  return withSecrets(config, "dev", values);
}

const issues = (config: LayeredConfig): ConfigIssue[] => configIssues("dev", config);

describe("database config rules", () => {
  it("accept the shipped catalog", () => {
    expect(issues(devConfig())).toEqual([]);
  });

  it.each([
    [
      "not a URL",
      "s3cr3t-pw",
      "expected a postgresql://user:password@host:port/database URL (value not shown)",
    ],
    ["another scheme", "mysql://admin:s3cr3t-pw@db/app", "expected a postgresql:// URL (value not shown)"],
    ["no database", "postgresql://admin:s3cr3t-pw@db.example.com", "expected a user, a host and a database"],
    [
      "TLS turned off",
      "postgresql://admin:s3cr3t-pw@db.example.com/postgres?sslmode=disable",
      "sslmode=disable does not require TLS",
    ],
  ])("refuse an admin URL that is %s, without showing it", (_case, value, message) => {
    const found = issues(devConfig(undefined, value));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      file: "Pulumi.dev.yaml",
      key: "launchpad:secrets.submissions.DATABASE_ADMIN_URL",
    });
    expect(found[0]!.message).toContain(message);
    expect(JSON.stringify(found)).not.toContain("s3cr3t-pw");
  });

  it("refuse a purge of a platform table on a column it does not have", () => {
    const found = issues(
      devConfig((apps) => (apps["mapquiz"]!["jobs"]["purge-audit-logs"].action.column = "created_at")),
    );
    expect(found).toEqual([
      {
        file: "Pulumi.yaml",
        key: "launchpad:apps.mapquiz.jobs.purge-audit-logs.action.column",
        message: 'platform table "audit_logs" has no column "created_at"; purge on occurred_at',
        stack: "dev",
      },
    ]);
  });

  it("refuse a snapshot of a table whose dated copies could not be named", () => {
    const long = "t".repeat(48);
    const found = issues(
      devConfig((apps) => {
        const tables = apps["submissions"]!["database"]["tables"];
        tables[long] = tables["soumissions_disponibilites"];
        apps["submissions"]!["jobs"]["daily-backup"].action.table = long;
      }),
    );
    expect(found.map((i) => i.key)).toEqual(["launchpad:apps.submissions.jobs.daily-backup.action.table"]);
    expect(found[0]!.message).toContain("at most 47 characters");
  });

  it("refuse a bucket id that cannot prefix a policy name, and a job whose pg_cron name would not fit", () => {
    const found = issues(
      devConfig((apps) => {
        const submissions = apps["submissions"]!;
        submissions["buckets"]["daily-exports"] = { public: false };
        submissions["jobs"]["x".repeat(50)] = { schedule: "0 1 * * *", action: { kind: "snapshot-cleanup" } };
      }),
    );
    expect(found.map((i) => [i.key, i.message])).toEqual([
      [
        "launchpad:apps.submissions.buckets.daily-exports",
        "bucket ids name their storage policies: use lowercase letters, digits and underscores",
      ],
      [
        `launchpad:apps.submissions.jobs.${"x".repeat(50)}`,
        `the job's pg_cron name, submissions-<environment>-${"x".repeat(50)}, must fit in 63 characters`,
      ],
    ]);
  });
});

describe("the membership model", () => {
  /** Every tenant table of the shipped catalog, with the app and the membership table it names. */
  const tenantTables = Object.entries(appsOf(realConfig("dev"))).flatMap(([app, spec]) =>
    Object.entries((spec["database"]?.tables ?? {}) as Record<string, any>)
      .filter(([, table]) => table.rls.model === "tenant")
      .map(([table, t]) => ({ app, table, membership: t.rls.membershipTable as string })),
  );

  it("is what every tenant table of the catalog reads its members from", () => {
    expect(tenantTables.length).toBeGreaterThan(0);
    for (const { app, membership } of tenantTables) {
      expect(appsOf(realConfig("dev"))[app]!["database"].tables[membership].rls.model).toBe("membership");
    }
  });

  it("refuses a tenant table whose membership table is declared with another model, naming each key path", () => {
    const { app, membership } = tenantTables[0]!;
    const found = issues(
      devConfig((apps) => {
        apps[app]!["database"].tables[membership].rls = { model: "owner", column: "user_id" };
      }),
    );
    const readers = tenantTables.filter((t) => t.app === app && t.membership === membership);
    expect(found.map((f) => `${f.file}: ${f.key}`)).toEqual(
      readers.map((t) => `Pulumi.yaml: launchpad:apps.${app}.database.tables.${t.table}.rls.membershipTable`),
    );
    expect(found[0]!.message).toContain(
      `table "${membership}" grants tenancy but is declared with the "owner" model`,
    );
  });

  it("refuses admin roles without a role column, and columns the table lacks", () => {
    const { app, membership } = tenantTables[0]!;
    const at = `launchpad:apps.${app}.database.tables.${membership}.rls`;
    const found = issues(
      devConfig((apps) => {
        const rls = apps[app]!["database"].tables[membership].rls;
        delete rls.roleColumn;
        rls.tenantColumn = "team_id";
      }),
    );
    expect(found.map((f) => [f.key, f.message])).toEqual([
      [`${at}.tenantColumn`, 'column "team_id" is not declared in the table\'s columns'],
      [`${at}.adminRoles`, "admin roles are values of a role column: declare rls.roleColumn too"],
    ]);
  });
});
