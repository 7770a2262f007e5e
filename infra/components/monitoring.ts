import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { AlertThresholds, AppSpec, EnvironmentProfile, SecretValues } from "../config";
import { FLY_METRICS_TOKEN_SECRET } from "../config/secrets";
import { physicalName } from "../naming";
import {
  checkRules,
  checkTimeoutMs,
  CHECK_FREQUENCY_MS,
  flyTargets,
  publicEndpoints,
} from "./monitoring-checks";
import { notificationSettings } from "./monitoring-contact";
import { dashboardJson } from "./monitoring-dashboard";
import { promRules, sqlContractOf, sqlRules, type MonitorKind, type PromRule } from "./monitoring-rules";

export interface MonitoringArgs {
  /** The app's name in the catalog. */
  app: string;
  /** The app's declaration: endpoints, services, database, alerts and their thresholds. */
  spec: AppSpec;
  /** The stack's environment profile: alert loudness, probes, metrics data source, Fly organisation. */
  environment: EnvironmentProfile;
  /** The stack's secret values: the channel's webhook URL and the Fly metrics token. */
  secrets: SecretValues;
  /** Ids of the profile's Synthetic Monitoring probes, as the account lists them (`probeIdsOf`). */
  probeIds: number[];
  /** The analytics role's connection string (a secret), when the app has a database. */
  analyticsUrl?: pulumi.Output<string>;
}

/** What the app is watched by, for the stack outputs. */
export interface MonitorsSummary {
  /** Synthetic Monitoring check ids. */
  checks: pulumi.Output<string>[];
  /** Grafana alert rule groups (in the app's folder). */
  ruleGroups: string[];
}

/** Grafana's UID for an expression stage of a rule. */
const EXPRESSION = "__expr__";
/** Rules read the last 10 minutes (the 5-minute windows of their queries, and some slack). */
const RANGE = { from: 600, to: 0 };

/** A rule's threshold stage: fires when query A's value is above `above`. */
function thresholdStage(above: number) {
  return {
    refId: "B",
    datasourceUid: EXPRESSION,
    relativeTimeRange: { from: 0, to: 0 },
    model: JSON.stringify({
      refId: "B",
      type: "threshold",
      expression: "A",
      conditions: [{ evaluator: { type: "gt", params: [above] } }],
    }),
  };
}

/** A Grafana-managed rule for a PromQL rule: query A on `datasourceUid`, firing on a value above 0. */
function promRule(rule: PromRule, datasourceUid: pulumi.Input<string>, labels: Record<string, string>) {
  return {
    name: rule.name,
    for: rule.for,
    condition: "B",
    noDataState: "OK",
    execErrState: "Error",
    labels,
    annotations: { summary: rule.summary },
    datas: [
      {
        refId: "A",
        datasourceUid,
        relativeTimeRange: RANGE,
        model: JSON.stringify({ refId: "A", expr: rule.expr, instant: true }),
      },
      thresholdStage(0),
    ],
  };
}

/**
 * The app's monitoring in Grafana Cloud, in one environment: a folder, the Discord contact point
 * its rules route to, synthetic checks on its public endpoints, alert rules on Fly.io's metrics and
 * on its rows, and a dashboard. Credentials come from the provider's configuration.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly monitors: MonitorsSummary;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const { app, spec, environment } = args;
    const thresholds: AlertThresholds = spec.alerts.thresholds;
    // The declared thresholds are the component's inputs: the policy pack checks each is monitored.
    super("launchpad:grafana:Monitoring", name, { app, thresholds }, opts);
    const parent = { parent: this };
    const id = physicalName(app, environment);
    const profile = environment.alerting;

    const folder = new grafana.oss.Folder(
      `${name}-folder`,
      { uid: id, title: `${app} (${environment.name})` },
      parent,
    );

    // The webhook URL embeds the channel's token: the whole block is a secret, in and out.
    const webhook = args.secrets.get(app, spec.alerts.webhookSecret);
    const contactName = `${id}-discord`;
    const contactPoint = new grafana.alerting.ContactPoint(
      `${name}-discord`,
      {
        name: contactName,
        discords: pulumi.secret(
          webhook.apply((url) => [
            { url, title: `[${environment.name}] {{ .CommonLabels.alertname }}`, useDiscordUsername: false },
          ]),
        ),
      },
      { ...parent, additionalSecretOutputs: ["discords"] },
    );
    // The name is known before the contact point exists, so a preview's policies can read the route;
    // the rule groups wait for the contact point all the same.
    const route = notificationSettings(contactName, profile);
    const routed = { ...parent, dependsOn: [contactPoint] };
    const labels = (monitor: MonitorKind) => ({ app, stack: environment.name, monitor });

    const endpoints = publicEndpoints(app, spec, environment);
    // A check's job names it in Synthetic Monitoring's metrics: the rules and the dashboard select it.
    const jobs = endpoints.map((e) => `${id}-${e.part}`);
    const checks = endpoints.map(
      (endpoint, i) =>
        new grafana.syntheticmonitoring.Check(
          `${name}-check-${endpoint.part}`,
          {
            job: jobs[i]!,
            target: endpoint.url,
            frequency: CHECK_FREQUENCY_MS,
            timeout: checkTimeoutMs(thresholds),
            probes: args.probeIds,
            labels: { stack: environment.name },
            settings: {
              http: {
                method: "GET",
                ipVersion: "V4",
                failIfNotSsl: true,
                ...(endpoint.validStatusCodes.length > 0
                  ? { validStatusCodes: endpoint.validStatusCodes }
                  : {}),
              },
            },
          },
          parent,
        ),
    );

    const ruleGroups: string[] = [];
    // The checks' alerts: Grafana-managed rules over Synthetic Monitoring's metrics, routed to the
    // app's channel like its other rules (SM's own per-check alerts follow the default policy).
    const onChecks = checkRules(thresholds, jobs);
    if (onChecks.length > 0) {
      const group = `${id}-checks`;
      new grafana.alerting.RuleGroup(
        `${name}-rules-checks`,
        {
          name: group,
          folderUid: folder.uid,
          intervalSeconds: 60,
          rules: onChecks.map((rule) => ({
            ...promRule(rule, profile.checkMetricsDatasourceUid, labels(rule.monitor)),
            notificationSettings: route,
          })),
        },
        { ...routed, dependsOn: [contactPoint, ...checks] },
      );
      ruleGroups.push(group);
    }

    const fly = flyTargets(app, spec, environment);
    let flyDatasourceUid: string | undefined;
    if (fly.all.length > 0) {
      const token = args.secrets.get(app, FLY_METRICS_TOKEN_SECRET);
      // The dashboard reads the UID as a plain string, the rules from the resource.
      flyDatasourceUid = `${id}-fly`;
      const flyMetrics = new grafana.oss.DataSource(
        `${name}-fly-metrics`,
        {
          name: `${id}-fly-metrics`,
          uid: flyDatasourceUid,
          type: "prometheus",
          url: `https://api.fly.io/prometheus/${environment.flyOrg}/`,
          jsonDataEncoded: JSON.stringify({ httpMethod: "POST", timeInterval: "15s" }),
          httpHeaders: pulumi.secret(token.apply((t) => ({ Authorization: `Bearer ${t}` }))),
        },
        { ...parent, additionalSecretOutputs: ["httpHeaders"] },
      );
      const rules = promRules(thresholds, fly, spec.alerts.metrics);
      const group = `${id}-fly`;
      if (rules.length > 0) {
        new grafana.alerting.RuleGroup(
          `${name}-rules-fly`,
          {
            name: group,
            folderUid: folder.uid,
            intervalSeconds: 60,
            rules: rules.map((rule) => ({
              ...promRule(rule, flyMetrics.uid, labels(rule.monitor)),
              notificationSettings: route,
            })),
          },
          routed,
        );
        ruleGroups.push(group);
      }
    }

    const sql = sqlRules(thresholds, sqlContractOf(spec), Boolean(args.analyticsUrl));
    if (args.analyticsUrl && sql.length > 0) {
      const url = args.analyticsUrl.apply((u) => new URL(u));
      const rows = new grafana.oss.DataSource(
        `${name}-rows`,
        {
          name: `${id}-rows`,
          uid: `${id}-rows`,
          type: "grafana-postgresql-datasource",
          url: url.apply((u) => `${u.hostname}:${u.port || "5432"}`),
          username: url.apply((u) => decodeURIComponent(u.username)),
          jsonDataEncoded: url.apply((u) =>
            JSON.stringify({
              database: decodeURIComponent(u.pathname.slice(1)),
              sslmode: u.searchParams.get("sslmode") ?? "require",
              postgresVersion: 1500,
            }),
          ),
          secureJsonDataEncoded: pulumi.secret(
            url.apply((u) => JSON.stringify({ password: decodeURIComponent(u.password) })),
          ),
        },
        { ...parent, additionalSecretOutputs: ["secureJsonDataEncoded"] },
      );
      const group = `${id}-rows`;
      new grafana.alerting.RuleGroup(
        `${name}-rules-rows`,
        {
          name: group,
          folderUid: folder.uid,
          intervalSeconds: 60,
          rules: sql.map((rule) => ({
            name: rule.name,
            for: rule.monitor === "database-down" ? "2m" : "5m",
            condition: "B",
            // Database down: an error or no answer is the alert itself.
            noDataState: rule.above === undefined ? "Alerting" : "OK",
            execErrState: rule.above === undefined ? "Alerting" : "Error",
            labels: labels(rule.monitor),
            annotations: { summary: rule.summary },
            notificationSettings: route,
            datas: [
              {
                refId: "A",
                datasourceUid: rows.uid,
                relativeTimeRange: RANGE,
                model: JSON.stringify({ refId: "A", rawSql: rule.sql, format: "table", editorMode: "code" }),
              },
              // Database down: `SELECT 1` answers 1, so the threshold stage fires only on no answer.
              thresholdStage(rule.above ?? 1),
            ],
          })),
        },
        routed,
      );
      ruleGroups.push(group);
    }

    new grafana.oss.Dashboard(
      `${name}-dashboard`,
      {
        folder: folder.uid,
        configJson: dashboardJson({
          uid: id,
          title: `${app} (${environment.name})`,
          app,
          stack: environment.name,
          checkJobs: jobs,
          fly,
          ...(flyDatasourceUid ? { flyDatasourceUid } : {}),
        }),
      },
      parent,
    );

    this.monitors = { checks: checks.map((c) => c.id), ruleGroups };
    this.registerOutputs({ monitors: this.monitors });
  }
}
