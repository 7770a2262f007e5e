import { healthCheckSchema, type EnvironmentProfile, type PlatformSpec, type ServiceSpec } from "./schema";

/** A service with every size and exposure setting decided: its own, else the environment's. */
export type ResolvedServiceSpec = ServiceSpec &
  Required<Pick<ServiceSpec, "region" | "memoryMb" | "cpus" | "replicas" | "public">>;

/**
 * Fills what a service leaves unset from the environment profile: region, memory, cpus and
 * replicas; web services are public and checked on `/health` unless they say otherwise.
 */
export function resolveService(spec: ServiceSpec, env: EnvironmentProfile): ResolvedServiceSpec {
  const web = spec.kind === "web";
  return {
    ...spec,
    region: spec.region ?? env.defaults.region,
    memoryMb: spec.memoryMb ?? env.defaults.memoryMb,
    cpus: spec.cpus ?? env.defaults.cpus,
    replicas: spec.replicas ?? env.defaults.replicas,
    public: spec.public ?? web,
    healthCheck: spec.healthCheck ?? (web ? healthCheckSchema.parse({}) : undefined),
  };
}

/** The platform with every service resolved against the environment. */
export function resolveDefaults(platform: PlatformSpec): PlatformSpec {
  const apps = Object.fromEntries(
    Object.entries(platform.apps).map(([name, app]) => [
      name,
      {
        ...app,
        services: Object.fromEntries(
          Object.entries(app.services).map(([service, spec]) => [
            service,
            resolveService(spec, platform.environment),
          ]),
        ),
      },
    ]),
  );
  return { ...platform, apps };
}
