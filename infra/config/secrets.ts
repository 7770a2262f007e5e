import * as pulumi from "@pulumi/pulumi";
import type { AppSpec } from "./schema";

/** The Pulumi config key that holds every secret value, as `<app>.<NAME>` paths. */
export const SECRETS_KEY = "launchpad:secrets";

/** Stack secret holding the Fly.io token that pushes an app's images to Fly's registry. */
export const FLY_TOKEN_SECRET = "FLY_API_TOKEN";

/** Stack secret holding a read-only Fly.io token for the organisation's managed Prometheus metrics. */
export const FLY_METRICS_TOKEN_SECRET = "FLY_METRICS_TOKEN";

/** The secret names an app's parts need from the stack's config, with the part that needs each. */
export function requiredSecrets(app: AppSpec): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  const need = (name: string, part: string): void => {
    needs.set(name, [...(needs.get(name) ?? []), part]);
  };
  for (const name of app.frontend?.secretEnv ?? []) need(name, "frontend");
  for (const [service, spec] of Object.entries(app.services)) {
    if (!spec.enabled) continue;
    for (const name of spec.secrets) need(name, `services.${service}`);
  }
  // Only images built from the app's Dockerfile are pushed; published and prebuilt ones are pulled as they are.
  if (Object.values(app.services).some((s) => s.enabled && s.image === undefined && !("image" in s.build)))
    need(FLY_TOKEN_SECRET, "backend");
  if (app.database) need(app.database.adminUrlSecret, "database");
  need(app.alerts.webhookSecret, "alerts");
  // Grafana reads the app's Fly.io metrics (5xx, latency, memory, machines) with this token.
  if (Object.values(app.services).some((s) => s.enabled)) need(FLY_METRICS_TOKEN_SECRET, "monitoring");
  for (const name of app.ciSecrets) need(name, "ciSecrets");
  return needs;
}

/** The command that stores one secret for a stack. */
export function setSecretCommand(stack: string, app: string, name: string): string {
  return `pulumi config set --secret --stack ${stack} --path '${SECRETS_KEY}.${app}.${name}' <value>`;
}

/**
 * Secret values of a stack, handed out as Pulumi secrets only: components never see plain strings,
 * so a value cannot leak into a non-secret input by accident.
 */
export class SecretValues {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: Record<string, Record<string, string>>) {
    const flat = new Map<string, string>();
    for (const [app, names] of Object.entries(values)) {
      for (const [name, value] of Object.entries(names)) flat.set(`${app}.${name}`, value);
    }
    this.#values = flat;
  }

  has(app: string, name: string): boolean {
    return this.#values.has(`${app}.${name}`);
  }

  /** The secret as a Pulumi secret output; the loader has already checked it exists. */
  get(app: string, name: string): pulumi.Output<string> {
    const value = this.#values.get(`${app}.${name}`);
    if (value === undefined) throw new Error(`secret ${app}.${name} is not configured`);
    return pulumi.secret(value);
  }

  /** `app.NAME` of every stored secret. */
  names(): string[] {
    return [...this.#values.keys()];
  }

  /** Plain values are never rendered, not even by a debugger's or logger's inspection. */
  toJSON(): string {
    return "[secret values]";
  }
}
