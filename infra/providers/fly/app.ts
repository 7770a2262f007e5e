/** FlyApp: a Fly.io app (the namespace of machines, secrets, volumes, IPs and certificates). */

import * as pulumi from "@pulumi/pulumi";
import { apps } from "./api/apps";
import { flyApiError, isFlyApiError } from "./errors";
import { APP_NAME, type Args, changedKeys, failure, TYPE_MODULE } from "./provider-kit";

export interface FlyAppInputs {
  /** Physical name; carries the app and the environment, e.g. `mapquiz-api-prod`. */
  name: string;
  /** Organization slug. */
  org: string;
  /** Custom 6PN network; default network when omitted. */
  network?: string;
}

export interface FlyAppOutputs extends FlyAppInputs {
  appId: string;
}

/** Creates the app, or adopts it when a previous run created it in the same org. */
async function createOrAdopt(inputs: FlyAppInputs): Promise<FlyAppOutputs> {
  const crypto: typeof import("node:crypto") = require("node:crypto");
  try {
    const created = await apps.create({
      name: inputs.name,
      org_slug: inputs.org,
      ...(inputs.network ? { network: inputs.network } : {}),
      // Makes retries of this one create safe against a lost response.
      idempotency_key: crypto.randomUUID(),
    });
    return { ...inputs, appId: created.id ?? inputs.name };
  } catch (e) {
    if (!isFlyApiError(e, 422) || e.flyStatus !== "name_taken") throw e;
    const existing = await apps.get(inputs.name);
    if (existing?.organization?.slug !== inputs.org) {
      throw flyApiError(
        422,
        `app ${inputs.name}`,
        e.operation,
        `the name is taken by an app outside organization ${inputs.org}; choose another name`,
        "name_taken",
      );
    }
    return { ...inputs, appId: existing.id ?? inputs.name };
  }
}

export const flyAppProvider: pulumi.dynamic.ResourceProvider<FlyAppInputs, FlyAppOutputs> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.name !== "string" || !APP_NAME.test(news.name)) {
      failures.push(
        failure("name", "3-63 lowercase letters, digits or dashes, not starting or ending with a dash"),
      );
    }
    if (typeof news.org !== "string" || news.org.trim() === "") failures.push(failure("org", "required"));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = changedKeys<FlyAppInputs>(olds, news, ["name", "org", "network"]);
    return {
      changes: replaces.length > 0,
      replaces,
      deleteBeforeReplace: replaces.includes("name") === false,
    };
  },

  async create(inputs) {
    const outs = await createOrAdopt(inputs);
    return { id: inputs.name, outs };
  },

  async read(id, props) {
    const app = await apps.get(id);
    if (!app) return {};
    const outs: FlyAppOutputs = {
      ...(props as FlyAppOutputs),
      name: app.name ?? id,
      org: app.organization?.slug ?? props?.org ?? "",
      appId: app.id ?? props?.appId ?? id,
    };
    return { id, props: outs };
  },

  async delete(id) {
    await apps.delete(id);
  },
};

/** A Fly.io app. Type token `pulumi-nodejs:dynamic/fly:App`. */
export class FlyApp extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly org: pulumi.Output<string>;
  declare readonly appId: pulumi.Output<string>;

  constructor(name: string, args: Args<FlyAppInputs>, opts?: pulumi.CustomResourceOptions) {
    super(flyAppProvider, name, { network: undefined, ...args, appId: undefined }, opts, TYPE_MODULE, "App");
  }
}
