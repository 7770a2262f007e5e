import { flyAppName } from "../../naming";
import { FLY_GPU_REGIONS, STACK_NAMES, type AppSpec, type PlatformSpec } from "../schema";
import { appPath, type RuleIssue } from "./types";

/** A name valid in one stack must be valid in all: the longest stack name bounds physical names. */
const LONGEST_STACK_NAME = [...STACK_NAMES].sort((a, b) => b.length - a.length)[0]!;

/** Services have ports, budgets, secrets and wired addresses that hold together. */
export function serviceRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  for (const [service, spec] of Object.entries(app.services)) {
    if (spec.kind === "web" && spec.port === undefined) {
      issues.push({
        path: at("services", service, "port"),
        message: "required for a web service (the port the process listens on)",
      });
    }
    // Each service is a Fly app `<app>-<service>-<stack>` unless it names one, and Fly app names stop at 63 characters.
    const flyName = `${name}-${service}-${LONGEST_STACK_NAME}`;
    if (spec.flyApp === undefined && flyName.length > 63) {
      issues.push({
        path: at("services", service),
        message: `its Fly app name "${flyName}" would be longer than 63 characters; shorten the service name`,
      });
    }
    if (spec.memoryMb !== undefined && spec.maxMemoryMb !== undefined && spec.memoryMb > spec.maxMemoryMb) {
      issues.push({
        path: at("services", service, "memoryMb"),
        message: `expected a number ≤ ${spec.maxMemoryMb} (the service's maxMemoryMb), got ${spec.memoryMb}`,
      });
    }
    if (spec.passwordSecret !== undefined && !spec.secrets.includes(spec.passwordSecret)) {
      issues.push({
        path: at("services", service, "passwordSecret"),
        message: `"${spec.passwordSecret}" must also be in the service's secrets: the service checks it`,
      });
    }
    for (const [variable, value] of Object.entries(spec.env)) {
      if (typeof value === "string") continue;
      if (value.from === "databaseUrl" && !app.database) {
        issues.push({
          path: at("services", service, "env", variable),
          message: "wired from the database, but the app declares no database",
        });
      }
      if (value.from === "serviceUrl") {
        const target = app.services[value.service];
        // A private address is `<fly app>.internal:<port>`: the target must run and listen on a port.
        const problem = !target
          ? `service "${value.service}" is not declared in services`
          : spec.enabled && !target.enabled
            ? `service "${value.service}" is disabled, so it has no address`
            : target.port === undefined
              ? `service "${value.service}" listens on no port (set its port)`
              : undefined;
        if (problem)
          issues.push({ path: at("services", service, "env", variable, "service"), message: problem });
      }
    }
  }

  return issues;
}

/**
 * A GPU service runs where Fly has its GPU: its own region, or the environment's default one. Checked for
 * enabled services and for any that names a region, so a catalog entry is right before a stack enables it.
 */
export function gpuRegionRules(platform: PlatformSpec): RuleIssue[] {
  return Object.entries(platform.apps).flatMap(([name, app]) =>
    Object.entries(app.services).flatMap(([service, spec]): RuleIssue[] => {
      if (spec.gpu === undefined || (!spec.enabled && spec.region === undefined)) return [];
      const region = spec.region ?? platform.environment.defaults.region;
      const regions = FLY_GPU_REGIONS[spec.gpu];
      if (regions.includes(region)) return [];
      const from = spec.region === undefined ? " (the environment's default region)" : "";
      return [
        {
          path: ["apps", name, "services", service, "region"],
          message: `Fly offers ${spec.gpu} GPUs only in ${regions.join(", ")}; got "${region}"${from}: set the region to one of them`,
        },
      ];
    }),
  );
}

/**
 * Each enabled service's Fly app — named in the catalog or generated — belongs to that service alone: two
 * services on one app would deploy over each other's machines and secrets.
 */
export function flyAppNameRules(platform: PlatformSpec): RuleIssue[] {
  const owners = new Map<string, string>();
  const issues: RuleIssue[] = [];
  for (const [name, app] of Object.entries(platform.apps)) {
    for (const [service, spec] of Object.entries(app.services)) {
      if (!spec.enabled) continue;
      const flyName = flyAppName(name, service, platform.environment, spec);
      const where = `apps.${name}.services.${service}`;
      const owner = owners.get(flyName);
      if (owner === undefined) {
        owners.set(flyName, where);
        continue;
      }
      issues.push({
        path:
          spec.flyApp === undefined
            ? appPath(name)("services", service)
            : appPath(name)("services", service, "flyApp"),
        message: `Fly app "${flyName}" is already the app of ${owner}; each service needs its own Fly app`,
      });
    }
  }
  return issues;
}
