/**
 * Safe machine deploys: release command first, then the machine change, then a health gate.
 * The gate waits as flyctl does: up to its wait timeout for the checks to pass, not just their
 * grace period (which is only when Fly may first run them).
 * A new machine that never becomes healthy is destroyed; an updated one is restored to its
 * previous image and config (automatic rollback), and the failure is reported either way.
 */

import { machines } from "./api/machines";
import { withLease } from "./api/leases";
import { flyDeployError } from "./errors";
import { waitForHealthy, waitForState } from "./health";
import { runReleaseCommand } from "./release";
import type { Machine, MachineConfig } from "./types";

/**
 * flyctl's default `--wait-timeout` for machines to pass their checks (superfly/flyctl,
 * internal/command/deploy/machines.go, `DefaultWaitTimeout = 5 * time.Minute`).
 */
export const DEPLOY_WAIT_SECONDS = 300;

export interface DeployOptions {
  app: string;
  name: string;
  region: string;
  config: MachineConfig;
  minSecretsVersion?: number;
  releaseCommand?: string;
  /** Variables of the release machine only (secrets: never logged, never on the serving machine). */
  releaseEnv?: Record<string, string>;
  releaseTimeoutSeconds: number;
  /** Seconds the checks get to pass before the deploy is undone (flyctl's wait timeout). */
  healthWaitSeconds: number;
  /** Seconds allowed for the machine to reach `started` after a create or update. */
  startTimeoutSeconds: number;
}

function describe(opts: DeployOptions, id?: string): string {
  return `machine ${opts.name}${id ? ` (${id})` : ""} of app ${opts.app}`;
}

async function release(opts: DeployOptions): Promise<void> {
  if (!opts.releaseCommand) return;
  const g = opts.config.guest ?? {};
  await runReleaseCommand({
    app: opts.app,
    region: opts.region,
    image: opts.config.image,
    command: opts.releaseCommand,
    guest: { cpuKind: g.cpu_kind, cpus: g.cpus ?? 1, memoryMb: g.memory_mb ?? 256 },
    env: opts.config.env,
    releaseEnv: opts.releaseEnv,
    minSecretsVersion: opts.minSecretsVersion,
    timeoutSeconds: opts.releaseTimeoutSeconds,
  });
}

interface GateResult {
  /** What was not right; undefined when the machine is started and healthy. */
  failing?: string[];
  /** The machine as last read. */
  machine?: Machine;
}

/** Started and healthy within the wait timeout, or a list of what was not. */
async function gate(opts: DeployOptions, id: string, version?: string): Promise<GateResult> {
  const started = await waitForState(opts.app, id, "started", opts.startTimeoutSeconds, version);
  if (!started) return { failing: [`did not reach state started within ${opts.startTimeoutSeconds}s`] };
  const health = await waitForHealthy(opts.app, id, opts.healthWaitSeconds);
  return { failing: health.healthy ? undefined : health.failing, machine: health.machine };
}

/** Creates (or adopts, when `existing` is given) the machine and waits until it is healthy. */
export async function deployNewMachine(opts: DeployOptions, existing?: Machine): Promise<Machine> {
  await release(opts);
  const machine = existing
    ? await machines.update(opts.app, existing.id, {
        name: opts.name,
        region: opts.region,
        config: opts.config,
        min_secrets_version: opts.minSecretsVersion,
      })
    : await machines.create(
        opts.app,
        {
          name: opts.name,
          region: opts.region,
          config: opts.config,
          min_secrets_version: opts.minSecretsVersion,
        },
        describe(opts),
      );
  const { failing, machine: healthy } = await gate(opts, machine.id, machine.version ?? machine.instance_id);
  if (failing) {
    // A create cannot leave partial state behind in Pulumi, so the unhealthy machine goes.
    await machines.destroy(opts.app, machine.id);
    throw flyDeployError(
      describe(opts, machine.id),
      `health checks did not pass within ${opts.healthWaitSeconds}s (${failing.join("; ")}); the machine was destroyed`,
    );
  }
  return healthy ?? machine;
}

/**
 * Updates the machine under a lease. If it does not pass its checks within the wait timeout,
 * the previous config is put back and the error says so.
 */
export async function updateMachineSafely(opts: DeployOptions, id: string): Promise<Machine> {
  await release(opts);
  const ttl = opts.startTimeoutSeconds + opts.healthWaitSeconds * 2 + 60;
  return withLease(opts.app, id, ttl, `launchpad deploy of ${opts.name}`, async (nonce) => {
    const previous = await machines.get(opts.app, id);
    if (!previous?.config) throw flyDeployError(describe(opts, id), "the machine no longer exists");
    const updated = await machines.update(
      opts.app,
      id,
      {
        name: opts.name,
        region: opts.region,
        config: opts.config,
        min_secrets_version: opts.minSecretsVersion,
        current_version: previous.version ?? previous.instance_id,
      },
      nonce,
    );
    const { failing, machine: healthy } = await gate(opts, id, updated.version ?? updated.instance_id);
    if (!failing) return healthy ?? updated;

    const restored = await machines.update(
      opts.app,
      id,
      { name: previous.name, region: previous.region, config: previous.config },
      nonce,
    );
    const { failing: stillFailing } = await gate(opts, id, restored.version ?? restored.instance_id);
    const outcome = stillFailing
      ? `the previous image ${previous.config.image} was restored but is not healthy either (${stillFailing.join("; ")})`
      : `rolled back to the previous image ${previous.config.image}`;
    throw flyDeployError(
      describe(opts, id),
      `image ${opts.config.image} did not pass its health checks within ${opts.healthWaitSeconds}s ` +
        `(${failing.join("; ")}); ${outcome}`,
    );
  });
}
