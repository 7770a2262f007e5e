/**
 * FlyMachine's typed inputs and their mapping to and from the API's `fly.MachineConfig`.
 * The reverse mapping projects a live config onto the fields launchpad manages, so a refresh
 * detects drift without flagging the defaults Fly fills in.
 */

import type {
  MachineCheck,
  MachineConfig,
  MachineGuest,
  MachineInit,
  MachineMetrics,
  MachineService,
} from "./types";

export interface FlyCheckArgs {
  type: "http" | "tcp";
  port: number;
  /** For http checks, e.g. `/health`. */
  path?: string;
  method?: string;
  /** Go durations, as the API takes them: `15s`. */
  interval?: string;
  timeout?: string;
  gracePeriod?: string;
}

export interface FlyPortArgs {
  port: number;
  /** e.g. `["http"]` on 80, `["tls", "http"]` on 443. */
  handlers: string[];
  forceHttps?: boolean;
}

export interface FlyServiceArgs {
  internalPort: number;
  protocol?: "tcp" | "udp";
  /** Public ports; defaults to 80 (http, force_https) and 443 (tls + http). */
  ports?: FlyPortArgs[];
  /** Redirect plain HTTP to HTTPS on the default port 80 (default true). */
  forceHttps?: boolean;
  autostop?: "off" | "stop" | "suspend";
  autostart?: boolean;
  minMachinesRunning?: number;
  concurrency?: { type: "connections" | "requests"; softLimit?: number; hardLimit?: number };
  checks?: FlyCheckArgs[];
}

export interface FlyMountArgs {
  /** Volume id (a FlyVolume's `volumeId`). */
  volume: string;
  path: string;
}

export interface FlyGuestArgs {
  cpuKind?: "shared" | "performance";
  cpus: number;
  memoryMb: number;
  /**
   * GPU model, as the Machines API names it (`a10`, `l40s`, `a100-pcie-40gb`, `a100-sxm4-80gb`); GPU
   * machines take performance CPUs, and only run in the regions where Fly has that GPU.
   */
  gpuKind?: string;
  /** Number of GPUs of `gpuKind` (default 1 when `gpuKind` is set). */
  gpus?: number;
}

/** Where Fly scrapes the machine's own Prometheus metrics (flyctl's `[metrics]` section). */
export interface FlyMetricsArgs {
  /** Port on the machine's private address; 1–65535. */
  port: number;
  /** HTTP path, starting with `/`, e.g. `/metrics`. */
  path: string;
}

export interface FlyMachineSpec {
  image: string;
  guest: FlyGuestArgs;
  env?: Record<string, string>;
  services?: FlyServiceArgs[];
  /** Machine-level checks, keyed by name. */
  checks?: Record<string, FlyCheckArgs>;
  restart?: { policy: "no" | "always" | "on-failure"; maxRetries?: number };
  /** Process group flyctl shows the machine under (default `app`). */
  processGroup?: string;
  /** Extra metadata; `fly_*` keys launchpad sets itself cannot be overridden. */
  metadata?: Record<string, string>;
  mounts?: FlyMountArgs[];
  /**
   * Overrides of the image's command, as argument lists: `cmd` replaces its CMD (its ENTRYPOINT
   * still runs first), `entrypoint` its ENTRYPOINT, `exec` both. Never put a secret value here:
   * the config is readable by anyone with access to the app; read it from the environment with
   * `["sh", "-c", "… \"$NAME\" …"]` instead.
   */
  init?: FlyInitArgs;
  /** The app's own metrics, scraped by Fly into the organisation's Prometheus. */
  metrics?: FlyMetricsArgs;
}

export interface FlyInitArgs {
  cmd?: string[];
  entrypoint?: string[];
  exec?: string[];
}

const INIT_KEYS = ["cmd", "entrypoint", "exec"] as const;

/** The non-empty overrides only, so `{}` and `{cmd: []}` mean "the image's own command". */
function initOf(init: FlyInitArgs | MachineInit | undefined): FlyInitArgs | undefined {
  const out: FlyInitArgs = {};
  for (const key of INIT_KEYS) if (init?.[key]?.length) out[key] = [...(init[key] ?? [])];
  return Object.keys(out).length ? out : undefined;
}

/** The scrape config launchpad manages; a config without a port scrapes nothing. */
function metricsOf(metrics: MachineMetrics | undefined): FlyMetricsArgs | undefined {
  if (!metrics?.port) return undefined;
  return { port: metrics.port, path: metrics.path || "/metrics" };
}

/** Metadata keys launchpad owns on a machine. */
export const MANAGED_BY_KEY = "launchpad_managed_by";
export const LOGICAL_NAME_KEY = "launchpad_name";

export const DEFAULT_PORTS: FlyPortArgs[] = [
  { port: 80, handlers: ["http"], forceHttps: true },
  { port: 443, handlers: ["tls", "http"] },
];

function checkToApi(c: FlyCheckArgs): MachineCheck {
  const out: MachineCheck = { type: c.type, port: c.port };
  if (c.type === "http") {
    out.path = c.path ?? "/";
    out.method = c.method ?? "GET";
    out.protocol = "http";
  }
  if (c.interval) out.interval = c.interval;
  if (c.timeout) out.timeout = c.timeout;
  if (c.gracePeriod) out.grace_period = c.gracePeriod;
  return out;
}

function checkFromApi(c: MachineCheck): FlyCheckArgs {
  const out: FlyCheckArgs = { type: c.type, port: c.port ?? 0 };
  if (c.type === "http") {
    out.path = c.path ?? "/";
    if (c.method && c.method !== "GET") out.method = c.method;
  }
  if (c.interval) out.interval = c.interval;
  if (c.timeout) out.timeout = c.timeout;
  if (c.grace_period) out.gracePeriod = c.grace_period;
  return out;
}

function serviceToApi(s: FlyServiceArgs): MachineService {
  const forceHttps = s.forceHttps ?? true;
  const ports = s.ports ?? DEFAULT_PORTS.map((p) => (p.port === 80 ? { ...p, forceHttps } : p));
  const out: MachineService = {
    protocol: s.protocol ?? "tcp",
    internal_port: s.internalPort,
    ports: ports.map((p) => ({
      port: p.port,
      handlers: p.handlers,
      ...(p.forceHttps ? { force_https: true } : {}),
    })),
  };
  if (s.autostop !== undefined) out.autostop = s.autostop;
  if (s.autostart !== undefined) out.autostart = s.autostart;
  if (s.minMachinesRunning !== undefined) out.min_machines_running = s.minMachinesRunning;
  if (s.concurrency) {
    out.concurrency = { type: s.concurrency.type };
    if (s.concurrency.softLimit !== undefined) out.concurrency.soft_limit = s.concurrency.softLimit;
    if (s.concurrency.hardLimit !== undefined) out.concurrency.hard_limit = s.concurrency.hardLimit;
  }
  if (s.checks?.length) out.checks = s.checks.map(checkToApi);
  return out;
}

function serviceFromApi(s: MachineService): FlyServiceArgs {
  const out: FlyServiceArgs = {
    internalPort: s.internal_port,
    protocol: s.protocol,
    ports: (s.ports ?? []).map((p) => ({
      port: p.port,
      handlers: p.handlers ?? [],
      ...(p.force_https ? { forceHttps: true } : {}),
    })),
  };
  if (s.autostop !== undefined) out.autostop = s.autostop;
  if (s.autostart !== undefined) out.autostart = s.autostart;
  if (s.min_machines_running !== undefined) out.minMachinesRunning = s.min_machines_running;
  if (s.concurrency?.type) {
    out.concurrency = { type: s.concurrency.type };
    if (s.concurrency.soft_limit !== undefined) out.concurrency.softLimit = s.concurrency.soft_limit;
    if (s.concurrency.hard_limit !== undefined) out.concurrency.hardLimit = s.concurrency.hard_limit;
  }
  if (s.checks?.length) out.checks = s.checks.map(checkFromApi);
  return out;
}

/** The API's `fly.MachineGuest` for a guest (machines' `guest`, volumes' `compute`). */
export function guestToApi(g: FlyGuestArgs): MachineGuest {
  const out: MachineGuest = { cpu_kind: g.cpuKind ?? "shared", cpus: g.cpus, memory_mb: g.memoryMb };
  if (g.gpuKind) {
    out.gpu_kind = g.gpuKind;
    out.gpus = g.gpus ?? 1;
  }
  return out;
}

/** The guest launchpad manages; Fly's empty GPU fields (`gpu_kind: ""`, `gpus: 0`) mean "no GPU". */
function guestFromApi(g: MachineGuest | undefined): FlyGuestArgs {
  const cpuKind = g?.cpu_kind;
  const out: FlyGuestArgs = {
    ...(cpuKind === "shared" || cpuKind === "performance" ? { cpuKind } : {}),
    cpus: g?.cpus ?? 1,
    memoryMb: g?.memory_mb ?? 256,
  };
  if (g?.gpu_kind) {
    out.gpuKind = g.gpu_kind;
    out.gpus = g.gpus || 1;
  }
  return out;
}

/** The API config for a spec; `logicalName` tags the machine so a re-run can find it. */
export function toMachineConfig(spec: FlyMachineSpec, logicalName: string): MachineConfig {
  const config: MachineConfig = {
    image: spec.image,
    guest: guestToApi(spec.guest),
    env: { ...(spec.env ?? {}) },
    metadata: {
      ...(spec.metadata ?? {}),
      // flyctl reads these to list the machine under its app, process group and platform.
      fly_platform_version: "v2",
      fly_process_group: spec.processGroup ?? "app",
      [MANAGED_BY_KEY]: "launchpad",
      [LOGICAL_NAME_KEY]: logicalName,
    },
    restart: spec.restart
      ? {
          policy: spec.restart.policy,
          ...(spec.restart.maxRetries !== undefined ? { max_retries: spec.restart.maxRetries } : {}),
        }
      : { policy: "on-failure", max_retries: 10 },
  };
  if (spec.services?.length) config.services = spec.services.map(serviceToApi);
  if (spec.checks && Object.keys(spec.checks).length) {
    config.checks = Object.fromEntries(Object.entries(spec.checks).map(([k, c]) => [k, checkToApi(c)]));
  }
  if (spec.mounts?.length) config.mounts = spec.mounts.map((m) => ({ volume: m.volume, path: m.path }));
  const init = initOf(spec.init);
  if (init) config.init = init;
  if (spec.metrics) config.metrics = { port: spec.metrics.port, path: spec.metrics.path };
  return config;
}

// An array, not a Set: Pulumi cannot serialize a captured Set into a dynamic provider.
const RESERVED_METADATA: string[] = [
  "fly_platform_version",
  "fly_process_group",
  MANAGED_BY_KEY,
  LOGICAL_NAME_KEY,
];

/** Projects a live config back onto the spec shape (inverse of toMachineConfig). */
export function fromMachineConfig(config: MachineConfig): FlyMachineSpec {
  const metadata = Object.fromEntries(
    Object.entries(config.metadata ?? {}).filter(([k]) => !RESERVED_METADATA.includes(k)),
  );
  const spec: FlyMachineSpec = {
    image: config.image,
    guest: guestFromApi(config.guest),
    env: { ...(config.env ?? {}) },
    processGroup: config.metadata?.fly_process_group ?? "app",
  };
  if (Object.keys(metadata).length) spec.metadata = metadata;
  if (config.restart?.policy) {
    spec.restart = {
      policy: config.restart.policy,
      ...(config.restart.max_retries !== undefined ? { maxRetries: config.restart.max_retries } : {}),
    };
  }
  if (config.services?.length) spec.services = config.services.map(serviceFromApi);
  if (config.checks && Object.keys(config.checks).length) {
    spec.checks = Object.fromEntries(Object.entries(config.checks).map(([k, c]) => [k, checkFromApi(c)]));
  }
  if (config.mounts?.length) spec.mounts = config.mounts.map((m) => ({ volume: m.volume, path: m.path }));
  // Only the command overrides: Fly may add its own init settings (tty, swap) that launchpad leaves alone.
  const init = initOf(config.init);
  if (init) spec.init = init;
  const metrics = metricsOf(config.metrics);
  if (metrics) spec.metrics = metrics;
  return spec;
}
