/**
 * FlyMachineHandover: in an app the stack adopted, retires the machines that served it before —
 * only once every machine of the stack's own passes its checks, so traffic always has a healthy
 * machine. Retired machines are cordoned (the proxy neither routes to them nor starts them again)
 * and stopped, never destroyed: they stay as a way back until a person destroys them.
 */

import * as pulumi from "@pulumi/pulumi";
import { machines } from "./api/machines";
import { flyDeployError } from "./errors";
import { MANAGED_BY_KEY } from "./machine-config";
import { type Args, failure, TYPE_MODULE } from "./provider-kit";

export interface FlyMachineHandoverInputs {
  /** The adopted app. */
  app: string;
  /** Ids of the stack's machines that take over the traffic. */
  machineIds: string[];
}

export interface FlyMachineHandoverOutputs extends FlyMachineHandoverInputs {
  /** Machines found serving the app without the stack's mark, cordoned and stopped. */
  retired: string[];
}

/** Retires the app's machines that the stack does not manage, after checking its own are healthy. */
async function handOver(inputs: FlyMachineHandoverInputs): Promise<FlyMachineHandoverOutputs> {
  const all = await machines.list(inputs.app);
  const ours = all.filter((m) => m.id !== undefined && inputs.machineIds.includes(m.id));
  const unhealthy = inputs.machineIds.filter((id) => {
    const m = ours.find((o) => o.id === id);
    return !m || m.state !== "started" || (m.checks ?? []).some((c) => c.status !== "passing");
  });
  if (unhealthy.length > 0) {
    throw flyDeployError(
      `app ${inputs.app}`,
      `machines ${unhealthy.join(", ")} are not started with passing checks; the machines already serving the app are left as they are`,
    );
  }
  const legacy = all.filter(
    (m) =>
      m.id !== undefined &&
      !inputs.machineIds.includes(m.id) &&
      m.config?.metadata?.[MANAGED_BY_KEY] !== "launchpad" &&
      !["stopped", "destroyed", "destroying"].includes(m.state ?? ""),
  );
  for (const m of legacy) {
    await machines.cordon(inputs.app, m.id!);
    await machines.stop(inputs.app, m.id!);
  }
  return { ...inputs, retired: legacy.map((m) => m.id!) };
}

export const flyMachineHandoverProvider: pulumi.dynamic.ResourceProvider<
  FlyMachineHandoverInputs,
  FlyMachineHandoverOutputs
> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || news.app === "") failures.push(failure("app", "required"));
    if (!Array.isArray(news.machineIds) || news.machineIds.length === 0) {
      failures.push(failure("machineIds", "at least one machine must take over the app's traffic"));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const same =
      olds.app === news.app && [...olds.machineIds].sort().join() === [...news.machineIds].sort().join();
    return { changes: !same, replaces: olds.app === news.app ? [] : ["app"] };
  },

  async create(inputs) {
    const outs = await handOver(inputs);
    return { id: inputs.app, outs };
  },

  /** New machines of the stack: hand over again (machines started by hand since are retired too). */
  async update(_id, olds, news) {
    const outs = await handOver(news);
    return { outs: { ...outs, retired: [...new Set([...(olds.retired ?? []), ...outs.retired])] } };
  },

  async delete() {
    // Nothing to undo: the retired machines stay stopped until a person destroys or restarts them.
  },
};

/** Type token `pulumi-nodejs:dynamic/fly:MachineHandover`. */
export class FlyMachineHandover extends pulumi.dynamic.Resource {
  declare readonly retired: pulumi.Output<string[]>;

  constructor(name: string, args: Args<FlyMachineHandoverInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyMachineHandoverProvider,
      name,
      { ...args, retired: undefined },
      opts,
      TYPE_MODULE,
      "MachineHandover",
    );
  }
}
