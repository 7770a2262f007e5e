/**
 * FlyIpAssignment: one IP address of an app. Public HTTP services get a shared v4 and a v6;
 * private services get none (or a `private_v6` Flycast address).
 */

import * as pulumi from "@pulumi/pulumi";
import { ips } from "./api/ips";
import { type Args, changedKeys, failure, TYPE_MODULE } from "./provider-kit";
import type { IpAssignment, IpType } from "./types";

export interface FlyIpAssignmentInputs {
  app: string;
  type: IpType;
  /** Only for dedicated v4; shared and anycast addresses are global. */
  region?: string;
}

export interface FlyIpAssignmentOutputs extends FlyIpAssignmentInputs {
  address: string;
}

const TYPES: IpType[] = ["v4", "v6", "shared_v4", "private_v6"];

/** The type of an assignment as the list endpoint describes it (it does not echo the type). */
export function ipTypeOf(a: IpAssignment): IpType {
  const v6 = (a.ip ?? "").includes(":");
  if (!v6) return a.shared ? "shared_v4" : "v4";
  return a.network || (a.ip ?? "").toLowerCase().startsWith("fdaa:") ? "private_v6" : "v6";
}

export const flyIpAssignmentProvider: pulumi.dynamic.ResourceProvider<
  FlyIpAssignmentInputs,
  FlyIpAssignmentOutputs
> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || news.app === "") failures.push(failure("app", "required"));
    if (!TYPES.includes(news.type)) failures.push(failure("type", `one of ${TYPES.join(", ")}`));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = changedKeys<FlyIpAssignmentInputs>(olds, news, ["app", "type", "region"]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    // An app needs one address of each type: adopt one a previous run allocated.
    const existing = (await ips.list(inputs.app))?.find((a) => a.ip && ipTypeOf(a) === inputs.type);
    const assigned = existing ?? (await ips.assign(inputs.app, inputs.type, inputs.region));
    const address = assigned.ip as string;
    return { id: address, outs: { ...inputs, address } };
  },

  async read(id, props) {
    if (!props) return {};
    const found = (await ips.list(props.app))?.find((a) => a.ip === id);
    return found ? { id, props: { ...props, address: id } } : {};
  },

  async delete(id, props) {
    await ips.release(props.app, id);
  },
};

/** An IP address of a Fly app. Type token `pulumi-nodejs:dynamic/fly:IpAssignment`. */
export class FlyIpAssignment extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;

  constructor(name: string, args: Args<FlyIpAssignmentInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyIpAssignmentProvider,
      name,
      { region: undefined, ...args, address: undefined },
      opts,
      TYPE_MODULE,
      "IpAssignment",
    );
  }
}
