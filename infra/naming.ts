import type { AppSpec, EnvironmentProfile } from "./config";

/** Physical name of an app's resources in an environment, e.g. `mapquiz-dev`. */
export function physicalName(app: string, env: EnvironmentProfile): string {
  return `${app}-${env.name}`;
}

/** Hostname an app's site answers on: its own domain where the profile says so, else a subdomain. */
export function siteHostname(app: string, spec: AppSpec, env: EnvironmentProfile): string {
  return env.useAppDomains ? spec.domain : `${app}.${env.baseDomain}`;
}

export function siteUrl(app: string, spec: AppSpec, env: EnvironmentProfile): string {
  return `https://${siteHostname(app, spec, env)}`;
}
