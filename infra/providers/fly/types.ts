/**
 * The subset of the Fly Machines API schemas (test/fakes/fly-api/fly-machines-openapi.yml) that the
 * providers send and read. Field names are the wire names.
 */

export interface FlyErrorBody {
  error?: string;
  status?: string;
}

export interface FlyAppInfo {
  id?: string;
  name?: string;
  status?: string;
  organization?: { name?: string; slug?: string };
  machine_count?: number;
  volume_count?: number;
}

export interface CreateAppRequest {
  name: string;
  org_slug: string;
  network?: string;
  enable_subdomains?: boolean;
  idempotency_key?: string;
}

export interface CreateAppResponse {
  id?: string;
  created_at?: number;
}

export interface AppSecret {
  name?: string;
  digest?: string;
  created_at?: string;
  updated_at?: string;
  value?: string;
}

export interface AppSecretsUpdateResp {
  version?: number;
  /** Deprecated spelling still sent by the live API. */
  Version?: number;
  secrets?: AppSecret[];
}

export interface MachineHttpHeader {
  name: string;
  values: string[];
}

export interface MachineCheck {
  type: "http" | "tcp";
  port?: number;
  path?: string;
  method?: string;
  protocol?: string;
  interval?: string;
  timeout?: string;
  grace_period?: string;
  headers?: MachineHttpHeader[];
}

export interface MachinePort {
  port: number;
  handlers?: string[];
  force_https?: boolean;
}

export interface MachineService {
  protocol: "tcp" | "udp";
  internal_port: number;
  ports?: MachinePort[];
  autostop?: "off" | "stop" | "suspend";
  autostart?: boolean;
  min_machines_running?: number;
  concurrency?: { type: "connections" | "requests"; soft_limit?: number; hard_limit?: number };
  checks?: MachineCheck[];
}

export interface MachineGuest {
  cpu_kind?: string;
  cpus?: number;
  memory_mb?: number;
  /** e.g. `a10`, `l40s`, `a100-pcie-40gb`, `a100-sxm4-80gb`. */
  gpu_kind?: string;
  gpus?: number;
}

export interface MachineMount {
  volume: string;
  path: string;
  name?: string;
}

export interface MachineRestart {
  policy?: "no" | "always" | "on-failure";
  max_retries?: number;
}

export interface MachineConfig {
  image: string;
  guest?: MachineGuest;
  env?: Record<string, string>;
  services?: MachineService[];
  checks?: Record<string, MachineCheck>;
  restart?: MachineRestart;
  metadata?: Record<string, string>;
  mounts?: MachineMount[];
  init?: MachineInit;
  processes?: MachineProcess[];
  /** `fly.MachineMetrics`: where Fly scrapes the machine's own Prometheus metrics. */
  metrics?: MachineMetrics;
  auto_destroy?: boolean;
  dns?: MachineDns;
}

/** `fly.MachineMetrics`: Fly scrapes `http://<machine private address>:<port><path>` every 15 s. */
export interface MachineMetrics {
  port?: number;
  path?: string;
  https?: boolean;
}

/** `fly.DNSConfig`: `skip_registration` keeps the machine out of the app's `.internal` DNS. */
export interface MachineDns {
  skip_registration?: boolean;
}

/** Overrides of the image's ENTRYPOINT and CMD (`exec` replaces both). */
export interface MachineInit {
  cmd?: string[];
  entrypoint?: string[];
  exec?: string[];
}

/** `fly.MachineProcess`: what one process of the machine runs and which app secrets it sees. */
export interface MachineProcess extends MachineInit {
  env?: Record<string, string>;
  /** Only the `secrets` listed here are injected, not all the app's. */
  ignore_app_secrets?: boolean;
  secrets?: { env_var: string; name?: string }[];
}

export interface CheckStatus {
  name?: string;
  status?: string;
  output?: string;
  updated_at?: string;
}

export interface MachineEvent {
  id?: string;
  type?: string;
  status?: string;
  source?: string;
  timestamp?: number;
  request?: { exit_event?: { exit_code?: number; oom_killed?: boolean } } & Record<string, unknown>;
}

export interface Machine {
  id: string;
  name?: string;
  state?: string;
  region?: string;
  instance_id?: string;
  version?: string;
  private_ip?: string;
  config?: MachineConfig;
  checks?: CheckStatus[];
  events?: MachineEvent[];
}

export interface CreateMachineRequest {
  name?: string;
  region?: string;
  config: MachineConfig;
  min_secrets_version?: number;
  skip_launch?: boolean;
}

export interface UpdateMachineRequest extends CreateMachineRequest {
  current_version?: string;
}

export interface Lease {
  nonce?: string;
  expires_at?: number;
  owner?: string;
  description?: string;
  version?: string;
}

export interface WaitMachineResponse {
  ok?: boolean;
  state?: string;
  version?: string;
  event_id?: string;
}

export interface Volume {
  id: string;
  name?: string;
  region?: string;
  size_gb?: number;
  encrypted?: boolean;
  state?: string;
  attached_machine_id?: string | null;
  auto_backup_enabled?: boolean;
  snapshot_retention?: number;
  zone?: string;
}

export interface CreateVolumeRequest {
  name: string;
  region: string;
  size_gb: number;
  encrypted?: boolean;
  auto_backup_enabled?: boolean;
  snapshot_retention?: number;
  require_unique_zone?: boolean;
  /** The guest of the machine that will mount it, so Fly places the volume on a host that can run it. */
  compute?: MachineGuest;
}

export type IpType = "v4" | "v6" | "shared_v4" | "private_v6";

export interface IpAssignment {
  ip?: string;
  region?: string;
  shared?: boolean;
  service_name?: string;
  created_at?: string;
  network?: { name?: string; org_slug?: string } | null;
}

export interface CertificateDetail {
  hostname?: string;
  status?: string;
  configured?: boolean;
  acme_requested?: boolean;
  dns_requirements?: {
    a?: string[];
    aaaa?: string[];
    cname?: string;
    acme_challenge?: { name?: string; target?: string };
    ownership?: { name?: string; app_value?: string };
  };
}
