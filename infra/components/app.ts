import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { AppSpec, EnvironmentProfile, SecretValues } from "../config";
import { siteUrl } from "../naming";
import { Alerts, type AlertsSummary } from "./alerts";
import { Backend } from "./backend";
import { Database } from "./database";
import { Frontend } from "./frontend";
import { Monitoring, type MonitorsSummary } from "./monitoring";
import { Repository } from "./repository";
import { Supabase } from "./supabase";
import { supabaseSettingsPlan } from "./supabase-plan";

export interface AppArgs {
  /** The app's declaration from the catalog, overrides of this stack applied. */
  spec: AppSpec;
  /** The stack's environment profile. */
  environment: EnvironmentProfile;
  /** The stack's secret values; each part takes the ones it names. */
  secrets: SecretValues;
  /** Ids of the stack's Synthetic Monitoring probes (`probeIdsOf`), for the app's checks. */
  probeIds: number[];
  /** Token for the GitHub provider, as a secret; without one the provider finds its own credentials. */
  githubToken?: pulumi.Input<string>;
  /**
   * The app's secret values the stack's files hold in plain text (only when the loader declares them,
   * as the audit does): recorded as the component's input for the policy pack (checklist item 2).
   */
  plainSecrets?: ReadonlyArray<{ file: string; key: string }>;
}

/**
 * One application of the fleet in one environment. Its parts (frontend, backend, database,
 * repository, alerts) are child components, declared only for the parts the catalog gives it.
 */
export class App extends pulumi.ComponentResource {
  /** Public URL of the app's site in this environment. */
  readonly url: pulumi.Output<string>;
  /** Alert channel, thresholds and the monitors that evaluate them. */
  readonly alerts: AlertsSummary & { monitors: MonitorsSummary };
  /** The runtime role's connection string (a secret, TLS required) when the app has a database. */
  readonly databaseUrl?: pulumi.Output<string>;
  /** Public URL of the app's API on Fly.io, when it has an enabled public web service. */
  readonly apiUrl?: pulumi.Output<string>;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "launchpad:index:App",
      name,
      { secretsInPlainText: (args.plainSecrets ?? []).map(({ file, key }) => ({ file, key })) },
      opts,
    );
    const { spec, environment, secrets } = args;

    const database = spec.database
      ? new Database(
          `${name}-database`,
          {
            app: name,
            database: spec.database,
            buckets: spec.buckets,
            jobs: spec.jobs,
            environment,
            secrets,
          },
          { parent: this },
        )
      : undefined;
    this.databaseUrl = database?.runtimeUrl;

    const supabasePlan = supabaseSettingsPlan(name, spec, environment);
    if (supabasePlan) new Supabase(`${name}-supabase`, { plan: supabasePlan }, { parent: this });

    // Declared before the frontend, which wires the backend's public URL into its variables.
    const backend = Object.values(spec.services).some((s) => s.enabled)
      ? new Backend(
          `${name}-backend`,
          {
            app: name,
            spec,
            environment,
            secrets,
            databaseUrl: this.databaseUrl,
            migratorUrl: database?.migratorUrl,
          },
          { parent: this },
        )
      : undefined;
    this.apiUrl = backend?.url;

    if (spec.frontend) {
      new Frontend(
        `${name}-frontend`,
        { app: name, spec, frontend: spec.frontend, environment, secrets, backendUrl: backend?.url },
        { parent: this },
      );
    }

    // Each app's repository has its own owner, so the app gets a GitHub provider for that owner.
    const githubProvider = new github.Provider(
      `${name}-github`,
      { owner: spec.repository.owner, ...(args.githubToken ? { token: args.githubToken } : {}) },
      { parent: this },
    );
    const onGithub = { parent: this, providers: { github: githubProvider } };
    new Repository(
      `${name}-repository`,
      {
        app: name,
        repository: spec.repository,
        ciSecrets: spec.ciSecrets,
        alertsWebhookSecret: spec.alerts.webhookSecret,
        environment,
        secrets,
      },
      onGithub,
    );
    const alerts = new Alerts(
      `${name}-alerts`,
      { app: name, alerts: spec.alerts, repository: spec.repository, environment, secrets },
      onGithub,
    );

    const monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        app: name,
        spec,
        environment,
        secrets,
        probeIds: args.probeIds,
        ...(database ? { analyticsUrl: database.analyticsUrl } : {}),
      },
      { parent: this },
    );

    this.url = pulumi.output(siteUrl(name, spec, environment));
    this.alerts = { ...alerts.summary, monitors: monitoring.monitors };
    this.registerOutputs({ url: this.url, apiUrl: this.apiUrl, alerts: this.alerts });
  }
}
