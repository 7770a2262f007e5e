import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { AlertsSpec, AppSpec, EnvironmentProfile, SecretValues } from "../config";
import { GITHUB_ALERT_EVENTS, githubCompatibleWebhookUrl } from "./discord";

export interface AlertsArgs {
  /** The app's name in the catalog (the webhook secret is looked up under it). */
  app: string;
  /** Channel, webhook secret name and thresholds, from the catalog. */
  alerts: AlertsSpec;
  /** The repository whose CI and deployment events are posted to the channel. */
  repository: AppSpec["repository"];
  /** The stack's environment profile. */
  environment: EnvironmentProfile;
  /** The stack's secret values; each stack holds its own channel's webhook URL. */
  secrets: SecretValues;
}

/** Alert thresholds as data, for a monitoring system to consume from the stack outputs. */
export interface AlertsSummary {
  channel: string;
  /** The stack secret (`launchpad:secrets.<app>.<name>`) holding the channel's webhook: a name, never the URL. */
  webhookSecret: string;
  environment: string;
  thresholds: AlertsSpec["thresholds"];
}

/**
 * The app's Discord alerts in one environment. What reaches Discord without a relay is wired: the
 * repository's workflow runs, deployment statuses (Vercel reports its deployments to GitHub, so a
 * failed Vercel deploy alerts too) and check suites go to Discord's GitHub-compatible endpoint.
 * Thresholds for metrics are exported as data.
 */
export class Alerts extends pulumi.ComponentResource {
  readonly summary: AlertsSummary;

  constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:discord:Alerts", name, {}, opts);
    const webhook = args.secrets.get(args.app, args.alerts.webhookSecret);

    // The URL embeds the channel's token: the whole configuration is a secret, in and out.
    new github.RepositoryWebhook(
      `${name}-github-webhook`,
      {
        repository: args.repository.name,
        active: true,
        events: [...GITHUB_ALERT_EVENTS],
        configuration: pulumi.secret(
          webhook.apply((url) => ({
            url: githubCompatibleWebhookUrl(url),
            contentType: "json",
            insecureSsl: false,
          })),
        ),
      },
      { parent: this, additionalSecretOutputs: ["configuration"] },
    );

    this.summary = {
      channel: args.alerts.channel,
      webhookSecret: args.alerts.webhookSecret,
      environment: args.environment.name,
      thresholds: args.alerts.thresholds,
    };
    this.registerOutputs({ summary: this.summary });
  }
}
