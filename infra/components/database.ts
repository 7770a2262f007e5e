import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  SECRETS_KEY,
  type AppSpec,
  type DatabaseSpec,
  type EnvironmentProfile,
  type SecretValues,
} from "../config";
import {
  CronJob,
  PlatformTables,
  StorageBucket,
  SupabaseCompat,
  TableRowLevelSecurity,
} from "../providers/postgres";
import { databasePlan, ROLE_KEYS, type Connection, type DatabaseStep, type RoleKey } from "./database-plan";
import { parseAdminUrl, roleUrl } from "./database-url";

export interface DatabaseArgs {
  /** The app's name in the catalog (its admin URL secret is looked up under it). */
  app: string;
  /** The app's database: flavor, tables with their RLS models, platform tables, runtime limits. */
  database: DatabaseSpec;
  /** Storage buckets of the app (Supabase flavor only). */
  buckets: AppSpec["buckets"];
  /** Scheduled jobs of the app, run by pg_cron in the database. */
  jobs: AppSpec["jobs"];
  /** The stack's environment profile: retention periods and data protection. */
  environment: EnvironmentProfile;
  /** The stack's secret values; the admin connection string is one of them. */
  secrets: SecretValues;
}

/**
 * An app's database in one environment: least-privilege login roles (migrator, runtime, analytics)
 * with their grants, Row Level Security on every catalog table, the platform tables with their audit
 * triggers, storage buckets and pg_cron jobs. Each step depends on the one before, so `pulumi up`
 * applies them in the order `launchpad sql` prints and `launchpad rehearse` proves.
 */
export class Database extends pulumi.ComponentResource {
  /** Connection string of the runtime role (DML only), a secret with TLS required: the app's DATABASE_URL. */
  readonly runtimeUrl: pulumi.Output<string>;
  /** Connection string of the migrator (owns the schema; runs migrations and the release command). */
  readonly migratorUrl: pulumi.Output<string>;
  /** Connection string of the read-only analytics role. */
  readonly analyticsUrl: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:postgres:Database", name, {}, opts);
    const { app, database, environment } = args;
    const plan = databasePlan({ app, database, buckets: args.buckets, jobs: args.jobs, environment });
    const secretKey = `${SECRETS_KEY}.${app}.${database.adminUrlSecret}`;
    const adminUrl = args.secrets.get(app, database.adminUrlSecret);
    const admin = adminUrl.apply((url) => parseAdminUrl(url, secretKey));

    // Managed databases (Supabase) give no superuser; TLS is required whatever the URL says.
    const provider = new postgresql.Provider(
      `${name}-provider`,
      {
        host: admin.host,
        port: admin.port,
        database: admin.database,
        username: admin.username,
        password: admin.password,
        // A mode, not a credential: visible so a policy can check that TLS is required.
        sslmode: pulumi.unsecret(admin.sslmode),
        superuser: false,
      },
      { parent: this },
    );

    // Stateful resources follow the profile, not the stack's name.
    const keep = { protect: environment.protectData, retainOnDelete: environment.protectData };
    const urls = {} as Record<RoleKey, pulumi.Output<string>>;
    const passwords = {} as Record<RoleKey, pulumi.Output<string>>;
    for (const key of ROLE_KEYS) {
      const password = new random.RandomPassword(
        `${name}-${key}-password`,
        // Letters and digits only: the password travels inside connection strings.
        { length: 32, special: false },
        { parent: this, ...keep },
      );
      passwords[key] = password.result;
      const user = plan.roles[key].name;
      urls[key] = pulumi.secret(
        pulumi.all([adminUrl, password.result]).apply(([url, pw]) => roleUrl(url, user, pw, "require")),
      );
    }
    const connection = (c: Connection) => (c === "admin" ? adminUrl : urls.migrator);
    const databaseName = admin.database;

    let previous: pulumi.Resource | undefined;
    for (const step of plan.steps) {
      const options = { parent: this, ...keep, dependsOn: previous ? [previous] : [] };
      previous = declareStep(`${name}-${step.id}`, step, {
        options,
        onDatabase: { ...options, provider },
        connection,
        passwords,
        databaseName,
      });
    }

    this.runtimeUrl = urls.runtime;
    this.migratorUrl = urls.migrator;
    this.analyticsUrl = urls.analytics;
    this.registerOutputs({
      runtimeUrl: this.runtimeUrl,
      migratorUrl: this.migratorUrl,
      analyticsUrl: this.analyticsUrl,
    });
  }
}

interface StepContext {
  options: pulumi.CustomResourceOptions;
  /** Options of registry resources: the app database's own provider. */
  onDatabase: pulumi.CustomResourceOptions;
  connection: (c: Connection) => pulumi.Output<string>;
  passwords: Record<RoleKey, pulumi.Output<string>>;
  databaseName: pulumi.Output<string>;
}

/** One resource per plan step. */
function declareStep(name: string, step: DatabaseStep, ctx: StepContext): pulumi.Resource {
  switch (step.kind) {
    case "supabase-compat":
      return new SupabaseCompat(
        name,
        { databaseUrl: ctx.connection(step.connection), ...step.inputs },
        ctx.options,
      );
    case "role":
      return new postgresql.Role(
        name,
        { ...step.args, roles: [...step.args.roles], password: ctx.passwords[step.role] },
        ctx.onDatabase,
      );
    case "grant":
      return new postgresql.Grant(
        name,
        {
          role: step.args.role,
          schema: step.args.schema,
          objectType: step.args.objectType,
          database: ctx.databaseName,
          privileges: [...step.args.privileges],
          ...(step.args.objects ? { objects: [...step.args.objects] } : {}),
        },
        ctx.onDatabase,
      );
    case "default-privileges":
      return new postgresql.DefaultPrivileges(
        name,
        { ...step.args, database: ctx.databaseName, privileges: [...step.args.privileges] },
        ctx.onDatabase,
      );
    case "schema":
      return new postgresql.Schema(name, { ...step.args, database: ctx.databaseName }, ctx.onDatabase);
    case "extension":
      return new postgresql.Extension(name, { ...step.args, database: ctx.databaseName }, ctx.onDatabase);
    case "table-rls":
      return new TableRowLevelSecurity(
        name,
        { databaseUrl: ctx.connection(step.connection), ...step.inputs },
        ctx.options,
      );
    case "platform-tables":
      return new PlatformTables(
        name,
        {
          databaseUrl: ctx.connection(step.connection),
          ...step.inputs,
          auditedTables: [...(step.inputs.auditedTables ?? [])],
        },
        ctx.options,
      );
    case "storage-bucket":
      return new StorageBucket(
        name,
        {
          databaseUrl: ctx.connection(step.connection),
          ...step.inputs,
          allowedMimeTypes: step.inputs.allowedMimeTypes && [...step.inputs.allowedMimeTypes],
        },
        ctx.options,
      );
    case "cron-job":
      return new CronJob(name, { databaseUrl: ctx.connection(step.connection), ...step.inputs }, ctx.options);
  }
}
