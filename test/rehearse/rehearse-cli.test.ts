import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformOf } from "../components/support";
import { copyProject, editFile } from "../support/config-fixtures";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { launchpad, type Run } from "./support";

interface Report {
  summary: Record<"passed" | "failed" | "not rehearsed", number>;
  reapplyStatements: number;
  apps: Array<{
    app: string;
    probes: Array<{ subject: string; probe: string; outcome: string; detail?: string }>;
  }>;
}

const ISOLATION_PROBES = [
  "service role reads every row",
  "analytics reads every row, writes none",
  "anon reads no row",
  "anon cannot insert",
  "anon updates and deletes no row",
  "user A reads its own rows",
  "user A reads none of B's rows",
  "user A cannot insert a row of B",
  "user A updates and deletes none of B's rows",
  "user A cannot hand its row over to B",
  "user A's update is recorded in audit_logs (who, what, before and after)",
];

describe("launchpad rehearse --stack dev on a throwaway Postgres", () => {
  let run: Run;
  let report: Report;
  beforeAll(async () => {
    run = await launchpad(["rehearse", "--stack", "dev", "--format", "json"]);
    report = JSON.parse(run.stdout) as Report;
  });

  it("passes, with every app of the catalog rehearsed", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(report.summary.failed).toBe(0);
    const withDatabase = Object.entries(platformOf("dev").apps).filter(([, spec]) => spec.database);
    expect(withDatabase.length).toBeGreaterThan(0);
    expect(report.apps.map((a) => a.app)).toEqual(withDatabase.map(([app]) => app));
  });

  it("probes every RLS table of the catalog: anon, user A against B, the service role, analytics", () => {
    let tables = 0;
    for (const [app, spec] of Object.entries(platformOf("dev").apps)) {
      const probes = report.apps.find((a) => a.app === app)!.probes;
      for (const [table, declared] of Object.entries(spec.database?.tables ?? {})) {
        const passed = probes
          .filter((p) => p.subject === `table ${table}` && p.outcome === "passed")
          .map((p) => p.probe);
        const rls = declared.rls;
        // A membership table is probed by the attack suite and its controls rather than A against B.
        const expected =
          rls.model === "membership"
            ? [
                ...ISOLATION_PROBES.filter((p) => !p.startsWith("user A")),
                "a member reads its own membership",
                ...(rls.adminRoles ? ["an admin adds a member to its own tenant"] : []),
              ]
            : ISOLATION_PROBES;
        expect(passed).toEqual(expect.arrayContaining(expected));
        const select = rls.model === "membership" ? "member" : rls.model;
        expect(passed).toContain(
          `drift: RLS disabled and policy "${table}_${select}_select" dropped by hand`,
        );
        tables++;
      }
    }
    expect(tables).toBeGreaterThan(0);
  });

  it("re-applies every app without a single change statement", () => {
    expect(report.reapplyStatements).toBe(0);
    for (const app of report.apps) {
      const reapply = app.probes.find((p) => p.probe === "second apply changes nothing");
      expect(reapply?.outcome, app.app).toBe("passed");
    }
  });

  it("reports every scheduled job as not rehearsed, never as passed, on a server without pg_cron", () => {
    const jobs = report.apps.flatMap((a) => a.probes.filter((p) => p.subject.startsWith("job ")));
    const declared = Object.values(platformOf("dev").apps).flatMap((spec) => Object.keys(spec.jobs));
    expect(declared.length).toBeGreaterThan(0);
    expect(jobs).toHaveLength(declared.length);
    for (const job of jobs)
      expect(job).toMatchObject({ outcome: "not rehearsed", detail: "pg_cron not installed" });
    expect(report.summary["not rehearsed"]).toBe(declared.length);
  });
});

describe("launchpad rehearse fails", () => {
  it("with exit 1, naming the resource, when a policy expression does not parse", async () => {
    const dir = copyProject();
    // soumissions_disponibilites (submissions) is the first owner-model table of the catalog.
    editFile(
      dir,
      "Pulumi.yaml",
      "rls: { model: owner, column: user_id }",
      'rls: { model: policies, policies: [{ name: own rows, command: select, roles: [authenticated], using: "user_id = = (select auth.uid())" }] }',
    );
    const run = await launchpad(["rehearse", "--stack", "dev", "--app", "submissions", "--cwd", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ layer +apply of submissions-database-rls-soumissions-disponibilites \[failed\] — .*policy "own rows": syntax error/,
    );
    expect(run.stdout).toMatch(/^\d+ passed, 1 failed/m);
  });
});

describe("launchpad rehearse refuses bad input with exit 2", () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function admin(sql: string): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it("without a stack, or with a database URL that is not one", async () => {
    expect((await launchpad(["rehearse"])).code).toBe(2);
    const bad = await launchpad([
      "rehearse",
      "--stack",
      "dev",
      "--database-url",
      "mysql://root:hunter2@db/app",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--database-url: expected a postgresql:// URL (value not shown)");
    expect(bad.stderr).not.toContain("hunter2");
  });

  it("when the server cannot be reached, without showing the password", async () => {
    const run = await launchpad(["rehearse", "--stack", "dev", "--app", "mapquiz"], {
      LAUNCHPAD_REHEARSE_DATABASE_URL: "postgresql://postgres:hunter2@127.0.0.1:1/postgres",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("launchpad rehearse: cannot connect to the database");
    expect(run.stderr).not.toContain("hunter2");
  });

  it("on a server where the app's roles already exist, leaving it untouched", async () => {
    await admin("CREATE ROLE mapquiz_dev_migrator");
    const before = await admin("SELECT rolname FROM pg_roles ORDER BY 1");
    const run = await launchpad([
      "rehearse",
      "--stack",
      "dev",
      "--app",
      "mapquiz",
      "--database-url",
      server.url,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("mapquiz: roles mapquiz_dev_migrator already exist on this server");
    expect(await admin("SELECT rolname FROM pg_roles ORDER BY 1")).toEqual(before);
    await admin("DROP ROLE mapquiz_dev_migrator");
  });

  it("with a URL of a role that is not a superuser", async () => {
    await admin("CREATE ROLE plain LOGIN PASSWORD 'plain-password'");
    const url = new URL(server.url);
    url.username = "plain";
    url.password = "plain-password";
    const run = await launchpad([
      "rehearse",
      "--stack",
      "dev",
      "--app",
      "mapquiz",
      "--database-url",
      url.toString(),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the database URL must be a superuser's");
    expect(run.stderr).not.toContain("plain-password");
  });
});
