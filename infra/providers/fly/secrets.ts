/**
 * FlySecrets: all the secrets launchpad manages on one app, as one resource (one API call per
 * change, one secrets version for machines to wait for). Values are never read back: state
 * holds salted SHA-256 digests, and Fly's own digests to notice out-of-band changes.
 */

import * as pulumi from "@pulumi/pulumi";
import { secrets } from "./api/secrets";
import { isFlyApiError } from "./errors";
import { type Args, failure, TYPE_MODULE } from "./provider-kit";
import { secretDigest } from "./stable";
import type { AppSecret } from "./types";

export interface FlySecretsInputs {
  app: string;
  /** Secret name → value. Pass Pulumi secrets. */
  values: Record<string, string>;
}

export interface FlySecretsOutputs {
  app: string;
  /** Managed secret names, sorted. */
  names: string[];
  /** Name → launchpad's salted digest of the value last set. */
  digests: Record<string, string>;
  /** Name → Fly's digest after that set; a change means someone else set the secret. */
  flyDigests: Record<string, string>;
  /** Secrets version after the last change; machines pass it as `min_secrets_version`. */
  version: number;
}

/** Value of a digest that cannot match any value, recorded when Fly reports an outside change. */
export const DRIFTED = "drifted";

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function digestsOf(app: string, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secretDigest(app, k, v)]));
}

function flyDigestsOf(list: AppSecret[] | undefined, names: string[]): Record<string, string> {
  const wanted = new Set(names);
  return Object.fromEntries(
    (list ?? []).filter((s) => s.name && wanted.has(s.name) && s.digest).map((s) => [s.name, s.digest]),
  ) as Record<string, string>;
}

/** Sets what changed and unsets what is no longer managed, in one call. */
async function apply(
  olds: FlySecretsOutputs | undefined,
  news: FlySecretsInputs,
): Promise<FlySecretsOutputs> {
  const digests = digestsOf(news.app, news.values);
  const names = Object.keys(news.values).sort();
  const changes: Record<string, string | null> = {};
  for (const name of names) {
    if (olds?.digests[name] !== digests[name]) changes[name] = news.values[name];
  }
  for (const name of olds?.names ?? []) if (!(name in news.values)) changes[name] = null;
  if (olds && Object.keys(changes).length === 0) return { ...olds, names, digests };

  const { version, secrets: list } = await secrets.update(news.app, changes);
  const flyDigests = { ...(olds?.flyDigests ?? {}), ...flyDigestsOf(list, names) };
  for (const name of Object.keys(flyDigests)) if (!(name in news.values)) delete flyDigests[name];
  return { app: news.app, names, digests, flyDigests, version };
}

export const flySecretsProvider: pulumi.dynamic.ResourceProvider<FlySecretsInputs, FlySecretsOutputs> = {
  async check(_olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || news.app === "") failures.push(failure("app", "required"));
    for (const [name, value] of Object.entries(news.values ?? {})) {
      if (!SECRET_NAME.test(name))
        failures.push(failure(`values.${name}`, "letters, digits and underscores only"));
      if (typeof value !== "string") failures.push(failure(`values.${name}`, "must be a string"));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    if (olds.app !== news.app) return { changes: true, replaces: ["app"], deleteBeforeReplace: false };
    const digests = digestsOf(news.app, news.values ?? {});
    const names = Object.keys(digests).sort();
    const same =
      names.join("\n") === [...olds.names].sort().join("\n") &&
      names.every((n) => olds.digests[n] === digests[n]);
    return { changes: !same };
  },

  async create(inputs) {
    return { id: inputs.app, outs: await apply(undefined, inputs) };
  },

  async read(id, props) {
    const list = await secrets.list(id);
    if (!list || !props) return {};
    const live = new Map(list.map((s) => [s.name, s.digest]));
    const names = props.names.filter((n) => live.has(n));
    const digests: Record<string, string> = {};
    for (const name of names) {
      const known = props.flyDigests[name];
      digests[name] = known !== undefined && known !== live.get(name) ? DRIFTED : props.digests[name];
    }
    const outs: FlySecretsOutputs = { ...props, names, digests, flyDigests: flyDigestsOf(list, names) };
    return { id, props: outs };
  },

  async update(_id, olds, news) {
    return { outs: await apply(olds, news) };
  },

  async delete(id, props) {
    if (!props.names.length) return;
    try {
      await secrets.update(id, Object.fromEntries(props.names.map((n) => [n, null])));
    } catch (e) {
      if (!isFlyApiError(e, 404)) throw e; // the app is gone, and its secrets with it
    }
  },
};

/** The managed secrets of a Fly app. Type token `pulumi-nodejs:dynamic/fly:Secrets`. */
export class FlySecrets extends pulumi.dynamic.Resource {
  declare readonly app: pulumi.Output<string>;
  declare readonly names: pulumi.Output<string[]>;
  declare readonly digests: pulumi.Output<Record<string, string>>;
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: Args<FlySecretsInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flySecretsProvider,
      name,
      {
        app: args.app,
        values: pulumi.secret(args.values),
        names: undefined,
        digests: undefined,
        flyDigests: undefined,
        version: undefined,
      },
      opts,
      TYPE_MODULE,
      "Secrets",
    );
  }
}
