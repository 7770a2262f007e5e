/**
 * The release command (e.g. `npx prisma migrate deploy`): run once per deploy in a throwaway
 * machine with the new image, before any serving machine changes. A non-zero exit stops the
 * deploy.
 */

import { machines } from "./api/machines";
import { secrets } from "./api/secrets";
import { flyDeployError, scrubbed } from "./errors";
import { waitForState } from "./health";
import { MANAGED_BY_KEY } from "./machine-config";
import type { MachineConfig, MachineEvent, MachineProcess } from "./types";

export interface ReleaseCommandArgs {
  app: string;
  region: string;
  image: string;
  command: string;
  guest: { cpuKind?: string; cpus: number; memoryMb: number };
  /** The serving machines' plain variables. */
  env?: Record<string, string>;
  /** Variables of the release machine only, which take the place of app secrets of the same name. */
  releaseEnv?: Record<string, string>;
  minSecretsVersion?: number;
  timeoutSeconds: number;
}

/** Splits a command line on whitespace, keeping single- or double-quoted words together. */
export function splitCommand(command: string): string[] {
  const words = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

/**
 * The exit code of the machine's last run. The spec types `MachineEvent.request` as an opaque
 * object; the live API puts `{exit_event: {exit_code}}` there on `exit` events.
 */
export function exitCodeOf(events: MachineEvent[] | undefined): number | undefined {
  const exits = (events ?? []).filter((e) => e.type === "exit" && e.request?.exit_event);
  exits.sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0));
  return exits[0]?.request?.exit_event?.exit_code;
}

/**
 * How the release variables reach the command. They go in this throwaway machine's own config
 * `env`, not in Fly secrets: app secrets reach every machine of the app, so a migrator URL stored
 * as one would reach the serving machines too, while this config exists only for a machine that
 * destroys itself when the command ends. An app secret of the same name (the runtime role's
 * DATABASE_URL) would still be injected beside it, and Fly does not document which of the two
 * wins, so the machine's process ignores the app's secrets and names the ones it keeps: all but
 * the replaced names.
 */
async function releaseProcesses(app: string, releaseEnv: Record<string, string>): Promise<MachineProcess[]> {
  const replaced = Object.keys(releaseEnv);
  if (replaced.length === 0) return [];
  const names = ((await secrets.list(app)) ?? []).map((s) => s.name ?? "");
  const kept = names.filter((n) => n !== "" && !replaced.includes(n)).sort();
  return [{ ignore_app_secrets: true, secrets: kept.map((n) => ({ env_var: n })) }];
}

export async function runReleaseCommand(args: ReleaseCommandArgs): Promise<void> {
  const releaseEnv = args.releaseEnv ?? {};
  try {
    await run(args, releaseEnv);
  } catch (e) {
    // Belt and braces: no message of ours names a value, but an API error could echo one.
    throw scrubbed(
      e,
      Object.values(releaseEnv).filter((v) => v !== ""),
    );
  }
}

async function run(args: ReleaseCommandArgs, releaseEnv: Record<string, string>): Promise<void> {
  const what = `release command of app ${args.app}`;
  const processes = await releaseProcesses(args.app, releaseEnv);
  const config: MachineConfig = {
    image: args.image,
    guest: {
      cpu_kind: args.guest.cpuKind ?? "shared",
      cpus: args.guest.cpus,
      memory_mb: args.guest.memoryMb,
    },
    env: { ...(args.env ?? {}), ...releaseEnv, RELEASE_COMMAND: "1" },
    init: { cmd: splitCommand(args.command) },
    ...(processes.length ? { processes } : {}),
    restart: { policy: "no" },
    auto_destroy: true,
    // As flyctl's release machines: never an address of `<app>.internal`, so nothing routes to it.
    dns: { skip_registration: true },
    metadata: {
      fly_platform_version: "v2",
      // The process group flyctl gives its own release machines, so they are not served traffic.
      fly_process_group: "fly_app_release_command",
      [MANAGED_BY_KEY]: "launchpad",
    },
  };
  const machine = await machines.create(
    args.app,
    { region: args.region, config, min_secrets_version: args.minSecretsVersion },
    what,
  );
  const finished = await waitForState(args.app, machine.id, "destroyed", args.timeoutSeconds);
  if (!finished) {
    await machines.destroy(args.app, machine.id);
    throw flyDeployError(
      what,
      `\`${args.command}\` did not finish within ${args.timeoutSeconds}s in machine ${machine.id}; ` +
        "the machine was destroyed and the deploy stopped",
    );
  }
  const done = await machines.get(args.app, machine.id);
  const code = exitCodeOf(done?.events);
  if (code !== 0) {
    throw flyDeployError(
      what,
      code === undefined
        ? `\`${args.command}\` left no exit status; the deploy was stopped`
        : `\`${args.command}\` exited with code ${code} in machine ${machine.id}; the deploy was stopped`,
    );
  }
}
