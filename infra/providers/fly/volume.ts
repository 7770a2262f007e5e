/** FlyVolume: an encrypted persistent volume a machine mounts (e.g. a Redis worker's data). */

import * as pulumi from "@pulumi/pulumi";
import { volumes } from "./api/volumes";
import { type FlyGuestArgs, guestToApi } from "./machine-config";
import { APP_NAME, type Args, changedKeys, failure, TYPE_MODULE } from "./provider-kit";
import type { Volume } from "./types";

export interface FlyVolumeInputs {
  app: string;
  /** Volume name, as machines' mounts and flyctl show it (letters, digits, underscores). */
  name: string;
  region: string;
  sizeGb: number;
  /** Daily snapshots (Fly default true). */
  autoBackup?: boolean;
  snapshotRetentionDays?: number;
  /**
   * The guest of the machine that will mount the volume, for GPU machines: Fly then places the volume on a
   * host with that GPU (GPU hosts are not the CPU ones). A volume cannot move, so a change replaces it.
   */
  compute?: FlyGuestArgs;
}

export interface FlyVolumeOutputs extends FlyVolumeInputs {
  volumeId: string;
  encrypted: boolean;
  zone: string;
}

const VOLUME_NAME = /^[a-z0-9_]{1,30}$/;
// An array, not a Set: Pulumi cannot serialize a captured Set into a dynamic provider.
const GONE = ["destroyed", "destroying", "pending_destroy"];

function outputsOf(inputs: FlyVolumeInputs, v: Volume): FlyVolumeOutputs {
  return {
    ...inputs,
    sizeGb: v.size_gb ?? inputs.sizeGb,
    volumeId: v.id,
    encrypted: v.encrypted ?? true,
    zone: v.zone ?? "",
    ...(v.auto_backup_enabled !== undefined ? { autoBackup: v.auto_backup_enabled } : {}),
    ...(v.snapshot_retention !== undefined ? { snapshotRetentionDays: v.snapshot_retention } : {}),
  };
}

export const flyVolumeProvider: pulumi.dynamic.ResourceProvider<FlyVolumeInputs, FlyVolumeOutputs> = {
  async check(olds, news) {
    const failures = [];
    if (typeof news.app !== "string" || !APP_NAME.test(news.app))
      failures.push(failure("app", "a Fly app name"));
    if (typeof news.name !== "string" || !VOLUME_NAME.test(news.name)) {
      failures.push(failure("name", "1-30 lowercase letters, digits or underscores"));
    }
    if (typeof news.region !== "string" || news.region === "") failures.push(failure("region", "required"));
    if (!Number.isInteger(news.sizeGb) || news.sizeGb < 1)
      failures.push(failure("sizeGb", "a whole number ≥ 1"));
    if (olds && typeof olds.sizeGb === "number" && news.sizeGb < olds.sizeGb && olds.name === news.name) {
      failures.push(
        failure("sizeGb", `volumes only grow: ${olds.sizeGb} GB cannot become ${news.sizeGb} GB`),
      );
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = changedKeys<FlyVolumeInputs>(olds, news, ["app", "name", "region", "compute"]);
    if (olds.encrypted === false) replaces.push("encrypted");
    // Unset optional settings mean "Fly's default": only compare the ones the program sets.
    const optional = (["autoBackup", "snapshotRetentionDays"] as const).filter((k) => news[k] !== undefined);
    const updates = changedKeys<FlyVolumeInputs>(olds, news, ["sizeGb", ...optional]);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    // Adopt a volume a previous, interrupted run created: same name, same region, still alive.
    const existing = (await volumes.list(inputs.app)).find(
      (v) => v.name === inputs.name && v.region === inputs.region && !GONE.includes(v.state ?? ""),
    );
    const volume =
      existing ??
      (await volumes.create(inputs.app, {
        name: inputs.name,
        region: inputs.region,
        size_gb: inputs.sizeGb,
        encrypted: true,
        ...(inputs.compute ? { compute: guestToApi(inputs.compute) } : {}),
        ...(inputs.autoBackup !== undefined ? { auto_backup_enabled: inputs.autoBackup } : {}),
        ...(inputs.snapshotRetentionDays !== undefined
          ? { snapshot_retention: inputs.snapshotRetentionDays }
          : {}),
      }));
    return { id: volume.id, outs: outputsOf(inputs, volume) };
  },

  async read(id, props) {
    if (!props) return {};
    const volume = await volumes.get(props.app, id);
    if (!volume || GONE.includes(volume.state ?? "")) return {};
    return {
      id,
      props: {
        ...outputsOf(props, volume),
        name: volume.name ?? props.name,
        region: volume.region ?? props.region,
      },
    };
  },

  async update(id, olds, news) {
    if (news.sizeGb > olds.sizeGb) await volumes.extend(news.app, id, news.sizeGb);
    const settings: { auto_backup_enabled?: boolean; snapshot_retention?: number } = {};
    if (news.autoBackup !== undefined && news.autoBackup !== olds.autoBackup) {
      settings.auto_backup_enabled = news.autoBackup;
    }
    if (
      news.snapshotRetentionDays !== undefined &&
      news.snapshotRetentionDays !== olds.snapshotRetentionDays
    ) {
      settings.snapshot_retention = news.snapshotRetentionDays;
    }
    if (Object.keys(settings).length) await volumes.update(news.app, id, settings);
    return { outs: { ...olds, ...news } };
  },

  async delete(id, props) {
    await volumes.delete(props.app, id);
  },
};

/** An encrypted Fly volume. Type token `pulumi-nodejs:dynamic/fly:Volume`. */
export class FlyVolume extends pulumi.dynamic.Resource {
  declare readonly volumeId: pulumi.Output<string>;
  declare readonly encrypted: pulumi.Output<boolean>;
  declare readonly zone: pulumi.Output<string>;

  constructor(name: string, args: Args<FlyVolumeInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      flyVolumeProvider,
      name,
      {
        autoBackup: undefined,
        snapshotRetentionDays: undefined,
        ...args,
        volumeId: undefined,
        encrypted: undefined,
        zone: undefined,
      },
      opts,
      TYPE_MODULE,
      "Volume",
    );
  }
}
