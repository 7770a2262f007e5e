import { beforeAll, describe, expect, it } from "vitest";
import { databasePlan } from "../../infra/components/database-plan";
import type { AppSpec } from "../../infra/config";
import { storageBucketInputs } from "../../infra/providers/postgres";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { STEP_TYPES } from "../../tools/rehearse/layer-sql";
import { childrenOf, evaluateAll, ofType, one, platformOf, STACKS, type Stack } from "./support";

const DB = {
  component: "launchpad:postgres:Database",
  provider: "pulumi:providers:postgresql",
  password: "random:index/randomPassword:RandomPassword",
  role: "postgresql:index/role:Role",
  compat: "pulumi-nodejs:dynamic/postgres:SupabaseCompat",
  tableRls: "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity",
  platformTables: "pulumi-nodejs:dynamic/postgres:PlatformTables",
  bucket: "pulumi-nodejs:dynamic/postgres:StorageBucket",
  cronJob: "pulumi-nodejs:dynamic/postgres:CronJob",
} as const;

/** Retention of the profiles (Pulumi.<stack>.yaml), written out so a test fails if it stops applying. */
const LOG_RETENTION: Record<Stack, number> = { dev: 14, qa: 30, prod: 90 };
const BACKUP_RETENTION: Record<Stack, number> = { dev: 7, qa: 14, prod: 30 };

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

const appsWithDatabase = (stack: Stack) =>
  Object.entries(platformOf(stack).apps).filter(([, spec]) => spec.database !== undefined);

/** The database plan of an app in a stack, as the Database component builds it. */
function planOf(stack: Stack, app: string, spec: AppSpec) {
  return databasePlan({
    app,
    database: spec.database!,
    buckets: spec.buckets,
    jobs: spec.jobs,
    environment: platformOf(stack).environment,
  });
}

/** The custom resources the Database component of `app` declares, in registration order. */
function layer(stack: Stack, app: string): RecordedResource[] {
  const component = one(stacks[stack], DB.component, `${app}-database`);
  return childrenOf(stacks[stack], component).filter((r) => r.type !== DB.provider && r.type !== DB.password);
}

describe.each(STACKS)("the database layer of %s", (stack) => {
  it("declares a Database component under each app that has a database", () => {
    const apps = appsWithDatabase(stack);
    expect(apps.length).toBeGreaterThan(0);
    expect(ofType(stacks[stack], DB.component).map((r) => r.name)).toEqual(
      apps.map(([app]) => `${app}-database`),
    );
    for (const [app] of apps) {
      const component = one(stacks[stack], DB.component, `${app}-database`);
      expect(component.parent).toBe(one(stacks[stack], "launchpad:index:App", app).urn);
    }
  });

  it("registers the plan's resources in plan order, each depending on the one before, with its inputs", () => {
    for (const [app, spec] of appsWithDatabase(stack)) {
      const plan = planOf(stack, app, spec);
      const resources = layer(stack, app);
      expect(resources.map((r) => [r.type, r.name])).toEqual(
        plan.steps.map((s) => [STEP_TYPES[s.kind], `${app}-database-${s.id}`]),
      );
      resources.forEach((resource, i) => {
        if (i > 0) expect(resource.dependsOn).toContain(resources[i - 1]!.urn);
        const step = plan.steps[i]!;
        // Pulumi reserves `id`: a bucket's id is registered as bucketId.
        const declared =
          step.kind === "storage-bucket"
            ? storageBucketInputs(step.inputs)
            : "inputs" in step
              ? step.inputs
              : step.args;
        expect(resource.inputs).toMatchObject(
          JSON.parse(JSON.stringify(declared)) as Record<string, unknown>,
        );
      });
    }
  });

  it("connects with TLS required and without assuming a superuser; the credentials stay secret", () => {
    for (const [app] of appsWithDatabase(stack)) {
      const provider = one(stacks[stack], DB.provider, `${app}-database-provider`);
      expect(provider.inputs).toMatchObject({ sslmode: "require", superuser: "false", password: "[secret]" });
      expect(provider.secretInputs).toEqual(expect.arrayContaining(["password", "username", "host"]));
    }
  });

  it("creates three least-privilege login roles with random secret passwords", () => {
    for (const [app, spec] of appsWithDatabase(stack)) {
      const prefix = `${app.replace(/-/g, "_")}_${stack}`;
      const powers = {
        login: true,
        superuser: false,
        createRole: false,
        createDatabase: false,
        replication: false,
        bypassRowLevelSecurity: false,
        password: "[secret]",
      };
      const roles = ofType(stacks[stack], DB.role).filter((r) => r.name.startsWith(`${app}-database-`));
      expect(roles.map((r) => r.inputs["name"])).toEqual([
        `${prefix}_migrator`,
        `${prefix}_runtime`,
        `${prefix}_analytics`,
      ]);
      for (const role of roles) {
        expect(role.inputs).toMatchObject(powers);
        expect(role.secretInputs).toContain("password");
      }
      expect(roles[1]!.inputs).toMatchObject({ connectionLimit: 20, statementTimeout: 15_000 });
      expect(roles[1]!.inputs["roles"]).toEqual(
        Object.keys(spec.database!.tables).length > 0 ? ["authenticated"] : [],
      );
    }
  });

  it("puts RLS on every table of the catalog, with its model", () => {
    const rls = ofType(stacks[stack], DB.tableRls).filter((r) => r.name.startsWith("workspace-analytics-"));
    expect(rls.map((r) => [r.inputs["table"], (r.inputs["rls"] as { model: string }).model])).toEqual([
      ["workspaces", "tenant"],
      ["workspace_datasets", "tenant"],
      ["custom_kpis", "tenant"],
      ["user_roles", "membership"],
    ]);
    const submissions = one(
      stacks[stack],
      DB.tableRls,
      "submissions-database-rls-soumissions-disponibilites",
    );
    expect(submissions.inputs).toMatchObject({
      table: "soumissions_disponibilites",
      rls: { model: "owner", column: "user_id" },
      migration: "supabase-add-reliability-features.sql",
    });
    // The daily backup runs as the migrator, which FORCE subjects to RLS: it reads through its own policy.
    expect(submissions.inputs["additionalPolicies"]).toEqual([
      { name: "analytics_read", command: "select", roles: [`submissions_${stack}_analytics`], using: "true" },
      { name: "snapshot_read", command: "select", roles: [`submissions_${stack}_migrator`], using: "true" },
    ]);
  });

  it("keeps the seeds' platform tables and audits the catalog's tables", () => {
    const platform = (app: string) =>
      one(stacks[stack], DB.platformTables, `${app}-database-platform-tables`).inputs;
    expect(platform("sheet2scene")).toMatchObject({
      tables: ["audit_logs", "qa_reports"],
      auditedTables: [],
    });
    expect(platform("submissions")).toMatchObject({
      tables: ["audit_logs", "backup_metadata"],
      auditedTables: ["soumissions_disponibilites"],
    });
    expect(platform("mapquiz")).toMatchObject({ tables: ["audit_logs"] });
  });

  it("keeps the submissions backups bucket private, with its size limit and MIME types, under its id", () => {
    expect(one(stacks[stack], DB.bucket, "submissions-database-bucket-backups").inputs).toMatchObject({
      bucketId: "backups",
      public: false,
      fileSizeLimit: 500 * 1024 * 1024,
      allowedMimeTypes: ["application/json", "application/gzip"],
      access: [],
    });
  });

  it("schedules the seed's jobs under stable names, with the profile's retention", () => {
    const job = (app: string, name: string) =>
      one(stacks[stack], DB.cronJob, `${app}-database-job-${name}`).inputs;
    expect(job("submissions", "daily-backup")).toMatchObject({
      jobName: `submissions-${stack}-daily-backup`,
      schedule: "0 2 * * *",
    });
    expect(job("submissions", "daily-backup")["command"]).toContain(`'bucket', 'backups'`);
    expect(job("submissions", "weekly-cleanup")).toMatchObject({ schedule: "0 3 * * 0" });
    expect(job("submissions", "weekly-cleanup")["command"]).toContain(
      `interval '${BACKUP_RETENTION[stack]} days'`,
    );
    const declared = appsWithDatabase(stack).flatMap(([app, spec]) =>
      Object.entries(spec.jobs).map(([name, declaredJob]) => ({ app, name, declaredJob })),
    );
    expect(ofType(stacks[stack], DB.cronJob)).toHaveLength(declared.length);
    for (const { app, name, declaredJob } of declared) {
      expect(job(app, name)).toMatchObject({
        jobName: `${app}-${stack}-${name}`,
        schedule: declaredJob.schedule,
      });
      if (declaredJob.action.kind === "purge" && declaredJob.action.table === "audit_logs")
        expect(job(app, name)["command"]).toBe(
          `DELETE FROM "public"."audit_logs" WHERE "${declaredJob.action.column}" < now() - interval '${LOG_RETENTION[stack]} days'`,
        );
    }
  });

  it("creates the Supabase roles and helpers first on plain Postgres only", () => {
    for (const [app, spec] of appsWithDatabase(stack)) {
      const first = layer(stack, app)[0]!;
      if (spec.database!.flavor === "postgres")
        expect(first).toMatchObject({ type: DB.compat, inputs: { storage: false } });
      else expect(first.type).toBe(DB.role);
    }
    expect(ofType(stacks[stack], DB.compat).map((r) => r.name)).toEqual([
      "mapquiz-database-compat",
      "mona-spark-database-compat",
    ]);
  });

  it("hands every dynamic resource its connection string as a secret", () => {
    const dynamic = stacks[stack].resources.filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/postgres:"),
    );
    // Platform tables, RLS tables, buckets, jobs and Supabase compatibility: the dynamic steps of each plan.
    const planned = appsWithDatabase(stack).flatMap(([app, spec]) =>
      planOf(stack, app, spec).steps.filter((s) => STEP_TYPES[s.kind].startsWith("pulumi-nodejs:dynamic/")),
    );
    expect(planned.length).toBeGreaterThan(0);
    expect(dynamic).toHaveLength(planned.length);
    for (const resource of dynamic) {
      expect(resource.secretInputs).toContain("databaseUrl");
      expect(resource.additionalSecretOutputs).toContain("databaseUrl");
    }
  });
});

describe("stack outputs", () => {
  it("export each app's runtime connection string, as a secret", () => {
    for (const stack of STACKS) {
      const apps = stacks[stack].outputs["apps"] as Record<string, Record<string, unknown>>;
      for (const [app] of appsWithDatabase(stack)) expect(apps[app]!["databaseUrl"]).toBe("[secret]");
    }
  });
});

describe("data protection follows the profile's protectData", () => {
  it("protects and retains every database resource in prod, and none in dev and qa", () => {
    expect(STACKS.map((s) => platformOf(s).environment.protectData)).toEqual([false, false, true]);
    for (const stack of STACKS) {
      const resources = appsWithDatabase(stack).flatMap(([app]) =>
        childrenOf(stacks[stack], one(stacks[stack], DB.component, `${app}-database`)).filter(
          (r) => r.type !== DB.provider,
        ),
      );
      expect(resources.length).toBeGreaterThan(100);
      const expected = stack === "prod";
      expect(
        resources.filter((r) => r.protect !== expected || r.retainOnDelete !== expected).map((r) => r.name),
      ).toEqual([]);
    }
  });
});
