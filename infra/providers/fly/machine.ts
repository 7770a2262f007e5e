/**
 * FlyMachine: one Fly machine running the app's image, deployed safely (release command,
 * health gate, automatic rollback — see machine-deploy.ts).
 */

import * as pulumi from "@pulumi/pulumi";
import { machines } from "./api/machines";
import {
  DEPLOY_WAIT_SECONDS,
  deployNewMachine,
  type DeployOptions,
  updateMachineSafely,
} from "./machine-deploy";
import {
  fromMachineConfig,
  type FlyMachineSpec,
  LOGICAL_NAME_KEY,
  MANAGED_BY_KEY,
  toMachineConfig,
} from "./machine-config";
import { APP_NAME, type Args, changedKeys, failure, TYPE_MODULE } from "./provider-kit";
import { secretDigest, stableStringify } from "./stable";
import type { Machine } from "./types";

export interface FlyMachineInputs extends FlyMachineSpec {
  app: string;
  /** Machine name, unique in the app; also tags the machine so a re-run can adopt it. */
  name: string;
  region: string;
  /** The FlySecrets `version` the machine must see before it starts. */
  minSecretsVersion?: number;
  /**
   * Run before this machine changes image, in a throwaway machine (e.g. `npx prisma migrate
   * deploy`). Set it on one machine per app and make the others depend on that one.
   */
  releaseCommand?: string;
  /**
   * Variables for the release command only, e.g. the migrator role's `DATABASE_URL` where this
   * machine gets the runtime role's. Set on the throwaway release machine, never on this one;
   * the resource wraps them as a secret, and state keeps salted digests, never the values.
   */
  releaseEnv?: Record<string, string>;
  releaseTimeoutSeconds?: number;
  /**
   * The checks' grace period: Fly runs no check before it (default 30). It is not the deploy's
   * deadline, see `healthWaitSeconds`.
   */
  healthGraceSeconds?: number;
  /**
   * Time a deploy waits for the checks to pass before it destroys a new machine or rolls an
   * updated one back (default 300, flyctl's `--wait-timeout`). At least `healthGraceSeconds`.
   */
  healthWaitSeconds?: number;
}

export interface FlyMachineOutputs extends Omit<FlyMachineInputs, "releaseEnv"> {
  /** Name → salted digest of each `releaseEnv` value, to notice a change without storing it. */
  releaseEnvDigests: Record<string, string>;
  machineId: string;
  version: string;
  privateIp: string;
  state: string;
}

// Arrays, not Sets: Pulumi cannot serialize a captured Set into a dynamic provider.
const GONE = ["destroyed", "destroying"];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function releaseEnvDigests(inputs: Pick<FlyMachineInputs, "app" | "releaseEnv">): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs.releaseEnv ?? {}).map(([k, v]) => [k, secretDigest(inputs.app, `release:${k}`, v)]),
  );
}

type MachineState = Omit<FlyMachineOutputs, "machineId" | "version" | "privateIp" | "state">;

/** What state keeps of the inputs: everything but the release variables' values. */
function stateOf(inputs: FlyMachineInputs): MachineState {
  const { releaseEnv: _values, ...rest } = inputs;
  return { ...rest, releaseEnvDigests: releaseEnvDigests(inputs) };
}

function deployOptions(inputs: FlyMachineInputs): DeployOptions {
  return {
    app: inputs.app,
    name: inputs.name,
    region: inputs.region,
    config: toMachineConfig(inputs, inputs.name),
    minSecretsVersion: inputs.minSecretsVersion,
    releaseCommand: inputs.releaseCommand,
    releaseEnv: inputs.releaseEnv,
    releaseTimeoutSeconds: inputs.releaseTimeoutSeconds ?? 300,
    healthWaitSeconds: inputs.healthWaitSeconds ?? DEPLOY_WAIT_SECONDS,
    startTimeoutSeconds: 120,
  };
}

function outputsOf(state: MachineState, m: Machine): FlyMachineOutputs {
  return {
    ...state,
    machineId: m.id,
    version: m.version ?? m.instance_id ?? "",
    privateIp: m.private_ip ?? "",
    state: m.state ?? "",
  };
}

/** Canonical form of what the API is asked to run, for comparisons. */
function configKey(spec: FlyMachineSpec & { name: string }): string {
  return stableStringify(toMachineConfig(spec, spec.name));
}

export const flyMachineProvider: pulumi.dynamic.ResourceProvider<FlyMachineInputs, FlyMachineOutputs> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || !APP_NAME.test(news.app))
      failures.push(failure("app", "a Fly app name"));
    if (typeof news.name !== "string" || news.name === "") failures.push(failure("name", "required"));
    if (typeof news.region !== "string" || news.region === "") failures.push(failure("region", "required"));
    if (typeof news.image !== "string" || news.image === "") failures.push(failure("image", "required"));
    if (
      !news.guest ||
      !(news.guest.cpus >= 1) ||
      !(news.guest.memoryMb >= 256) ||
      news.guest.memoryMb % 256 !== 0
    ) {
      failures.push(failure("guest", "cpus ≥ 1 and memoryMb a multiple of 256"));
    }
    const gpu = news.guest?.gpuKind;
    if (gpu !== undefined && (typeof gpu !== "string" || gpu === "")) {
      failures.push(failure("guest.gpuKind", "a GPU model such as a10 or l40s"));
    }
    if (gpu && news.guest.cpuKind !== "performance") {
      failures.push(failure("guest.cpuKind", "performance: GPU machines run on dedicated CPUs"));
    }
    const gpus = news.guest?.gpus;
    if (gpus !== undefined && (!gpu || !Number.isInteger(gpus) || gpus < 1)) {
      failures.push(failure("guest.gpus", "a whole number ≥ 1, with a gpuKind"));
    }
    for (const [i, s] of (news.services ?? []).entries()) {
      if (!Number.isInteger(s.internalPort) || s.internalPort < 1 || s.internalPort > 65535) {
        failures.push(failure(`services[${i}].internalPort`, "a TCP port"));
      }
    }
    if (news.metrics !== undefined) {
      const { port, path } = news.metrics;
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        failures.push(failure("metrics.port", "a TCP port (1-65535)"));
      }
      if (typeof path !== "string" || !path.startsWith("/")) {
        failures.push(failure("metrics.path", "an HTTP path starting with /"));
      }
    }
    if (news.healthGraceSeconds !== undefined && !(news.healthGraceSeconds > 0)) {
      failures.push(failure("healthGraceSeconds", "a positive number of seconds"));
    }
    const wait = news.healthWaitSeconds;
    if (wait !== undefined && !(wait > 0 && wait >= (news.healthGraceSeconds ?? 0))) {
      failures.push(failure("healthWaitSeconds", "a number of seconds, at least healthGraceSeconds"));
    }
    // Names only in messages: the values are secrets.
    const releaseEnv = typeof news.releaseEnv === "object" ? news.releaseEnv : {};
    for (const [name, value] of Object.entries(releaseEnv)) {
      if (!ENV_NAME.test(name) || typeof value !== "string") {
        failures.push(failure(`releaseEnv.${name}`, "a variable name with a string value"));
      }
    }
    if (Object.keys(releaseEnv).length && !news.releaseCommand) {
      failures.push(failure("releaseEnv", "only used by a releaseCommand, which is not set"));
    }
    for (const key of ["cmd", "entrypoint", "exec"] as const) {
      const words = news.init?.[key];
      if (words !== undefined && (!Array.isArray(words) || words.some((w) => typeof w !== "string"))) {
        failures.push(failure(`init.${key}`, "a list of strings"));
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    // A machine cannot move app or region, and Fly does not swap a mounted volume in place.
    const replaces = changedKeys<FlyMachineInputs>(olds, news, ["app", "region", "name", "mounts"]);
    const changed =
      replaces.length > 0 ||
      configKey(olds) !== configKey(news) ||
      changedKeys<FlyMachineInputs>(olds, news, [
        "minSecretsVersion",
        "releaseCommand",
        "releaseTimeoutSeconds",
        "healthGraceSeconds",
      ]).length > 0 ||
      stableStringify(olds.releaseEnvDigests ?? {}) !== stableStringify(releaseEnvDigests(news));
    return { changes: changed, replaces, deleteBeforeReplace: replaces.includes("mounts") };
  },

  async create(inputs) {
    // Adopt the machine an interrupted run created (tagged with this logical name).
    const tagged = await machines.list(inputs.app, {
      [MANAGED_BY_KEY]: "launchpad",
      [LOGICAL_NAME_KEY]: inputs.name,
    });
    const existing = tagged.find((m) => !GONE.includes(m.state ?? ""));
    const machine = await deployNewMachine(deployOptions(inputs), existing);
    return { id: machine.id, outs: outputsOf(stateOf(inputs), machine) };
  },

  async read(id, props) {
    if (!props) return {};
    const machine = await machines.get(props.app, id);
    if (!machine || GONE.includes(machine.state ?? "") || !machine.config) return {};
    const live = fromMachineConfig(machine.config);
    const outs = outputsOf({ ...props, ...live, region: machine.region ?? props.region }, machine);
    return { id, props: outs };
  },

  async update(id, olds, news) {
    const apiChanged =
      configKey(olds) !== configKey(news) || olds.minSecretsVersion !== news.minSecretsVersion;
    // A new releaseEnv alone waits for the next release: nothing runs on the machine for it.
    if (!apiChanged) return { outs: { ...olds, ...stateOf(news) } };
    const machine = await updateMachineSafely(deployOptions(news), id);
    return { outs: outputsOf(stateOf(news), machine) };
  },

  async delete(id, props) {
    await machines.destroy(props.app, id);
    // Wait for the end of the machine so its volume is free to delete right after.
    await machines.wait(props.app, id, "destroyed").catch(() => undefined);
  },
};

/** A Fly machine. Type token `pulumi-nodejs:dynamic/fly:Machine`. */
export class FlyMachine extends pulumi.dynamic.Resource {
  declare readonly machineId: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly privateIp: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: Args<FlyMachineInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyMachineProvider,
      name,
      {
        ...args,
        ...(args.releaseEnv !== undefined ? { releaseEnv: pulumi.secret(args.releaseEnv) } : {}),
        releaseEnvDigests: undefined,
        machineId: undefined,
        version: undefined,
        privateIp: undefined,
        state: undefined,
      },
      opts,
      TYPE_MODULE,
      "Machine",
    );
  }
}
