/**
 * Pure helpers that turn a resolved catalog service into Fly machine inputs: image source, guest
 * size, services and checks, environment, secret names, private addresses. No resources here, so
 * each rule is unit-tested on plain data.
 */

import * as path from "node:path";
import type { GpuModel, MetricsContract, ResolvedServiceSpec, ServiceSpec } from "../config";
import type { FlyCheckArgs, FlyGuestArgs, FlyMetricsArgs, FlyServiceArgs } from "../providers/fly";

/** Fly's Docker registry; every Fly app has a repository of its own name there. */
export const FLY_REGISTRY = "registry.fly.io";

/** Fly machines run x86-64: images built on an arm laptop must still target it. */
export const IMAGE_PLATFORM = "linux/amd64";

/** The variable a `{ from: databaseUrl }` value arrives in when the catalog names none other. */
export const DATABASE_URL = "DATABASE_URL";

/** Where a service's image comes from. */
export type ImageSource =
  { kind: "build"; context: string; dockerfile: string } | { kind: "published"; image: string };

/**
 * A Dockerfile build has its context and Dockerfile resolved against the app's source checkout:
 * the catalog writes both relative to the app's repository root, and the Docker provider reads both
 * relative to the working directory of `pulumi up`.
 */
export function imageSource(service: Pick<ServiceSpec, "build" | "image">, sourceDir: string): ImageSource {
  // A prebuilt image (the app's CI pushed it) wins over the build: nothing to check out or build.
  if (service.image !== undefined) return { kind: "published", image: service.image };
  const { build } = service;
  if ("image" in build) return { kind: "published", image: build.image };
  return {
    kind: "build",
    context: path.posix.join(sourceDir, build.context),
    dockerfile: path.posix.join(sourceDir, build.dockerfile),
  };
}

/** `registry.fly.io/<fly app>:<tag>`; machines run the pushed image by digest, the tag only names it. */
export function registryImageName(flyApp: string, tag: string): string {
  return `${FLY_REGISTRY}/${flyApp}:${tag}`;
}

/** Shared CPUs take at most 2 GB per CPU on Fly; larger memory needs performance CPUs. */
const SHARED_MAX_MB_PER_CPU = 2048;

/**
 * Fly's GPU machine sizes (`fly platform vm-sizes`, the presets flyctl's `vm.size = "a10"` picks): the
 * GPU kind the Machines API takes for each catalog model, and the performance CPUs and memory it runs with.
 */
export const GPU_GUESTS: Readonly<Record<GpuModel, { gpuKind: string; cpus: number; memoryMb: number }>> = {
  a10: { gpuKind: "a10", cpus: 8, memoryMb: 32768 },
  l40s: { gpuKind: "l40s", cpus: 8, memoryMb: 32768 },
  "a100-40gb": { gpuKind: "a100-pcie-40gb", cpus: 8, memoryMb: 32768 },
  "a100-80gb": { gpuKind: "a100-sxm4-80gb", cpus: 8, memoryMb: 32768 },
};

/**
 * The machine size of a service: a GPU service gets its GPU's size on performance CPUs (the catalog's
 * memory and CPUs do not apply); others get their resolved memory and CPUs.
 */
export function guestFor(spec: ResolvedServiceSpec): FlyGuestArgs {
  if (spec.gpu !== undefined) {
    const { gpuKind, cpus, memoryMb } = GPU_GUESTS[spec.gpu];
    return { cpuKind: "performance", cpus, memoryMb, gpuKind, gpus: 1 };
  }
  const cpuKind = spec.memoryMb > SHARED_MAX_MB_PER_CPU * spec.cpus ? "performance" : "shared";
  return { cpuKind, cpus: spec.cpus, memoryMb: spec.memoryMb };
}

/** A Go duration, as the Machines API takes them. */
function seconds(n: number): string {
  return `${n}s`;
}

/** What a machine exposes and how Fly checks it. */
export interface MachineNetworking {
  /** Proxy services: only public services get one (ports 80 → https redirect, 443 with TLS). */
  services: FlyServiceArgs[];
  /** Machine-level checks, for private services (the proxy never routes to them). */
  checks: Record<string, FlyCheckArgs>;
  /** Seconds a new machine has to pass its checks before the deploy rolls back. */
  healthGraceSeconds: number;
}

/**
 * Public services get one proxy service with the HTTP health check on it, so the proxy routes only to
 * healthy machines. Private services listening on a port are checked by the machine itself: on their
 * health path if they have one, else by a TCP connect (a Redis, say). A service without a port
 * cannot be probed; only its state (started) gates its deploy.
 */
export function machineNetworking(spec: ResolvedServiceSpec): MachineNetworking {
  const health = spec.healthCheck;
  const healthGraceSeconds = health?.gracePeriodSeconds ?? 30;
  if (spec.port === undefined) return { services: [], checks: {}, healthGraceSeconds };
  const check: FlyCheckArgs = health
    ? {
        type: "http",
        port: spec.port,
        path: health.path,
        interval: seconds(health.intervalSeconds),
        timeout: seconds(health.timeoutSeconds),
        gracePeriod: seconds(health.gracePeriodSeconds),
      }
    : { type: "tcp", port: spec.port, interval: "15s", timeout: "5s" };
  if (!spec.public) return { services: [], checks: { [check.type]: check }, healthGraceSeconds };
  return {
    services: [
      {
        internalPort: spec.port,
        forceHttps: true,
        // Machines stay up: a cold start would miss the health budget and the first requests.
        autostop: "off",
        autostart: true,
        checks: [check],
      },
    ],
    checks: {},
    healthGraceSeconds,
  };
}

/**
 * Where Fly scrapes a service's own metrics: the app's prometheus contract's port and path, for the
 * services it lists; nothing for the others, or when the app's metrics are rows (`source: sql`).
 */
export function metricsScrape(
  contract: MetricsContract | undefined,
  service: string,
): FlyMetricsArgs | undefined {
  if (contract?.source !== "prometheus" || !contract.services.includes(service)) return undefined;
  return { port: contract.port, path: contract.path };
}

/** URL scheme of a private service, read from a published image's name; HTTP otherwise. */
function schemeOf(spec: ServiceSpec): string {
  if (!("image" in spec.build)) return "http";
  const repository = spec.build.image.split(/[:@]/)[0] ?? "";
  const base = repository.split("/").pop() ?? "";
  return ["redis", "valkey", "keydb"].includes(base) ? "redis" : "http";
}

/**
 * Address of a service on the app's private network (6PN): `<fly app>.internal` resolves to its
 * machines' private IPs, with no proxy and no public exposure, e.g. `redis://mona-spark-redis-prod.internal:6379`.
 */
export function privateUrl(flyApp: string, spec: ServiceSpec): string {
  if (spec.port === undefined) throw new Error(`${flyApp} listens on no port; it has no address to wire`);
  return `${schemeOf(spec)}://${flyApp}.internal:${spec.port}`;
}

/**
 * The address with the password clients present, e.g. `redis://:<password>@mona-spark-redis-prod.internal:6379`
 * (percent-encoded, so any character is safe). A secret, like the password.
 */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString().replace(/\/$/, "");
}

/** What a service's plain environment is made from, besides its own declaration. */
export interface EnvContext {
  /** Exact origins browsers may call the service from (`corsAllowList`: the site's own first, never `*`). */
  allowedOrigins: readonly string[];
  /** Private address of another service of the app, by catalog name. */
  privateUrlOf(service: string): string;
  /** Whether another service of the app requires a password (its `passwordSecret`), by catalog name. */
  requiresPassword(service: string): boolean;
}

/**
 * Variables wired to the address of a service that requires a password, with that service: their
 * value carries the password, so they are secrets rather than plain variables.
 */
export function passwordUrlNames(
  spec: ServiceSpec,
  requiresPassword: (service: string) => boolean,
): [variable: string, service: string][] {
  return Object.entries(spec.env).flatMap(([name, value]) =>
    typeof value !== "string" && value.from === "serviceUrl" && requiresPassword(value.service)
      ? [[name, value.service] as [string, string]]
      : [],
  );
}

/**
 * The service's plain variables: the catalog's literals and wired service addresses, plus what the
 * stack decides — `NODE_ENV=production` for the app's own code and `PORT` for web services unless the
 * catalog sets them; `ALLOWED_ORIGINS` for public services and `RATE_LIMIT_PER_MINUTE` where the
 * catalog sets a limit, both from validated config (a literal cannot widen CORS). Names that are
 * also secrets stay out, and so do addresses that carry a password: a secret is never a plain variable.
 */
export function plainEnv(spec: ResolvedServiceSpec, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  if (!("image" in spec.build)) env["NODE_ENV"] = "production";
  if (spec.kind === "web" && spec.port !== undefined) env["PORT"] = String(spec.port);
  for (const [name, value] of Object.entries(spec.env)) {
    if (typeof value === "string") env[name] = value;
    else if (value.from === "serviceUrl" && !ctx.requiresPassword(value.service))
      env[name] = ctx.privateUrlOf(value.service);
  }
  if (spec.public) env["ALLOWED_ORIGINS"] = ctx.allowedOrigins.join(",");
  if (spec.rateLimitPerMinute !== undefined) env["RATE_LIMIT_PER_MINUTE"] = String(spec.rateLimitPerMinute);
  for (const name of secretNames(spec)) delete env[name];
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
}

/** Variables wired from the database's runtime connection string (a secret). */
export function databaseUrlNames(spec: ServiceSpec): string[] {
  return Object.entries(spec.env)
    .filter(([, value]) => typeof value !== "string" && value.from === "databaseUrl")
    .map(([name]) => name);
}

/** Every name the service receives as a Fly secret: the catalog's secrets and the database URL. */
export function secretNames(spec: ServiceSpec): string[] {
  return [...new Set([...spec.secrets, ...databaseUrlNames(spec)])].sort();
}

/** Fly volume names take lowercase letters, digits and underscores, up to 30. */
export function volumeName(service: string): string {
  return `${service.replace(/-/g, "_")}_data`.slice(0, 30);
}

/**
 * The service a frontend calls: the public web service named `api` if there is one, else the first
 * public web service the catalog declares.
 */
export function primaryService(services: Record<string, ResolvedServiceSpec>): string | undefined {
  const candidates = Object.entries(services)
    .filter(([, spec]) => spec.enabled && spec.kind === "web" && spec.public)
    .map(([name]) => name);
  return candidates.includes("api") ? "api" : candidates[0];
}
