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
  /**
   * The app already runs under this name (declared with `flyApp` in the catalog): it is read first and
   * taken over as it is, and deleting the resource leaves it running.
   */
  adoptExisting?: boolean;
}

export interface FlyAppOutputs extends FlyAppInputs {
  appId: string;
  /** Whether the app existed before the stack took it over; such an app is never deleted by the stack (absent in states written before adoption existed). */
  adopted?: boolean;
}

function outsideOrg(name: string, org: string, operation: string) {
  return flyApiError(
    422,
    `app ${name}`,
    operation,
    `the name is taken by an app outside organization ${org}; choose another name`,
    "name_taken",
  );
}

/** Takes over an app that already runs: read first, never created anew or changed here. */
async function adoptExisting(inputs: FlyAppInputs): Promise<FlyAppOutputs | undefined> {
  const existing = await apps.get(inputs.name);
  if (!existing) return undefined;
  if (existing.organization?.slug !== inputs.org)
    throw outsideOrg(inputs.name, inputs.org, `GET /v1/apps/${inputs.name}`);
  return { ...inputs, appId: existing.id ?? inputs.name, adopted: true };
}

/** Creates the app, or adopts it when a previous run created it in the same org. */
async function createOrAdopt(inputs: FlyAppInputs): Promise<FlyAppOutputs> {
  const crypto: typeof import("node:crypto") = require("node:crypto");
  if (inputs.adoptExisting) {
    const adopted = await adoptExisting(inputs);
    if (adopted) return adopted;
  }
  try {
    const created = await apps.create({
      name: inputs.name,
      org_slug: inputs.org,
      ...(inputs.network ? { network: inputs.network } : {}),
      // Makes retries of this one create safe against a lost response.
      idempotency_key: crypto.randomUUID(),
    });
    return { ...inputs, appId: created.id ?? inputs.name, adopted: false };
  } catch (e) {
    if (!isFlyApiError(e, 422) || e.flyStatus !== "name_taken") throw e;
    const existing = await apps.get(inputs.name);
    if (existing?.organization?.slug !== inputs.org) throw outsideOrg(inputs.name, inputs.org, e.operation);
    // A previous run created it (its response was lost): it is the stack's own.
    return { ...inputs, appId: existing.id ?? inputs.name, adopted: false };
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
    const updates = changedKeys<FlyAppInputs>(olds, news, ["adoptExisting"]);
    return {
      changes: replaces.length + updates.length > 0,
      replaces,
      deleteBeforeReplace: replaces.includes("name") === false,
    };
  },

  /** Only `adoptExisting` changes in place: it says how the app came to the stack, nothing on Fly. */
  async update(_id, olds, news) {
    return { outs: { ...news, appId: olds.appId, adopted: olds.adopted ?? false } };
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

  async delete(id, props) {
    if (props.adopted) {
      // It ran before the stack and may serve traffic the stack does not know of: only a person deletes it.
      const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
      await pulumi.log.warn(
        `Fly app ${id} was adopted, not created, by this stack: it is left running; delete it with \`fly apps destroy ${id}\` once nothing needs it`,
      );
      return;
    }
    await apps.delete(id);
  },
};

/** A Fly.io app. Type token `pulumi-nodejs:dynamic/fly:App`. */
export class FlyApp extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly org: pulumi.Output<string>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: Args<FlyAppInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyAppProvider,
      name,
      { network: undefined, ...args, appId: undefined, adopted: undefined },
      opts,
      TYPE_MODULE,
      "App",
    );
  }
}
