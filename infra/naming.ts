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

/**
 * Fly.io app of one backend service in an environment (one Fly app per service): the app the catalog
 * names for it (`flyApp`, an existing app taken over), else `<app>-<service>-<env>`, e.g. `mapquiz-api-prod`.
 */
export function flyAppName(
  app: string,
  service: string,
  env: EnvironmentProfile,
  spec?: { flyApp?: string },
): string {
  return spec?.flyApp ?? `${app}-${service}-${env.name}`;
}

/**
 * Hostname a public backend service answers on: `<service>.<site hostname>` (`api.mona-spark.app`,
 * `api.mona-spark.dev.<baseDomain>`), or the site hostname itself when it already names the service
 * (an app whose domain is its API's, such as mapquiz's `api.mapquiz.app`).
 */
export function serviceHostname(
  app: string,
  service: string,
  spec: AppSpec,
  env: EnvironmentProfile,
): string {
  const site = siteHostname(app, spec, env);
  return site.startsWith(`${service}.`) ? site : `${service}.${site}`;
}
