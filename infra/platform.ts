import * as pulumi from "@pulumi/pulumi";
import { App } from "./components/app";
import type { AlertsSummary } from "./components/alerts";
import type { MonitorsSummary } from "./components/monitoring";
import { probeIdsOf } from "./components/monitoring-probes";
import type { PlatformConfig } from "./config";

/** What a stack exports: per app, the values other systems need. */
export interface PlatformOutputs {
  environment: string;
  apps: Record<
    string,
    {
      url: pulumi.Output<string>;
      apiUrl?: pulumi.Output<string>;
      /** The runtime role's connection string, a secret (TLS required). */
      databaseUrl?: pulumi.Output<string>;
    }
  >;
  /** Per app, its Discord channel, alert thresholds and the monitors evaluating them. */
  alerts: Record<string, AlertsSummary & { monitors: MonitorsSummary }>;
}

/**
 * The GitHub token of the shell running the program. The GitHub SDK would read `GITHUB_TOKEN` itself,
 * but then records it as a plain provider input (state, plan output); wrapped here, it stays secret.
 */
function githubToken(): pulumi.Output<string> | undefined {
  const token = process.env["GITHUB_TOKEN"];
  return token ? pulumi.secret(token) : undefined;
}

/** Lets the runtime take up what has been declared so far (one turn of the event loop). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Declares the whole platform of one stack from its validated config. Apps are declared one at a
 * time with a turn of the event loop in between, so the runtime registers each app's resources and
 * lets go of their pending state before the next app's are created: otherwise every registration of
 * the stack is in flight at once, and memory (and garbage-collection time) grows with the catalog.
 */
export async function declarePlatform(config: PlatformConfig): Promise<PlatformOutputs> {
  const apps: PlatformOutputs["apps"] = {};
  const alerts: PlatformOutputs["alerts"] = {};
  const token = githubToken();
  // Read before any app is declared: an unknown probe name leaves nothing half-declared.
  const probeIds = await probeIdsOf(config.environment);
  for (const [name, spec] of Object.entries(config.apps)) {
    const app = new App(name, {
      spec,
      environment: config.environment,
      secrets: config.secrets,
      probeIds,
      githubToken: token,
      plainSecrets: config.plainSecrets.filter((secret) => secret.app === name),
    });
    apps[name] = {
      url: app.url,
      ...(app.apiUrl ? { apiUrl: app.apiUrl } : {}),
      ...(app.databaseUrl ? { databaseUrl: app.databaseUrl } : {}),
    };
    alerts[name] = app.alerts;
    await nextTurn();
  }
  return { environment: config.environment.name, apps, alerts };
}
