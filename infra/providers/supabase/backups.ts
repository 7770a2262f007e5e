/**
 * SupabaseBackups: the project's backup status and point-in-time recovery, read and never
 * changed. PITR is a paid add-on whose activation bills the organization and needs a large enough
 * compute size, so launchpad does not switch add-ons: it records what the project has, and the
 * `supabase-pitr` policy blocks a stack whose catalog requires PITR on a project without it.
 */

import * as pulumi from "@pulumi/pulumi";
import { management } from "./api";
import { type Args, type CheckFailure, failure, projectRefFailures, TYPE_MODULE } from "./provider-kit";
import { settingsDiff, settingsProvider } from "./settings-provider";

export interface SupabaseBackupsInputs {
  projectRef: string;
  /** Whether the catalog requires point-in-time recovery (`database.backups.pointInTimeRecovery`). */
  pitrRequired: boolean;
}

export interface SupabaseBackupsOutputs extends SupabaseBackupsInputs {
  /** What the project reports: PITR on or off. */
  pitrEnabled: boolean;
  /** Daily physical backups (WAL-G) on or off. */
  walgEnabled: boolean;
  /** Completed backups the project lists. */
  completedBackups: number;
  /** When the newest completed backup was taken, as the API reports it; empty when none is. */
  latestBackupAt: string;
}

async function status(inputs: SupabaseBackupsInputs): Promise<SupabaseBackupsOutputs> {
  const live = await management.listBackups(inputs.projectRef);
  const completed = live.backups.filter((b) => b.status === "COMPLETED");
  const latest =
    completed
      .map((b) => b.inserted_at)
      .sort()
      .at(-1) ?? "";
  return {
    ...inputs,
    pitrEnabled: live.pitr_enabled,
    walgEnabled: live.walg_enabled,
    completedBackups: completed.length,
    latestBackupAt: latest,
  };
}

/** Nothing is ever written: converging and refreshing both read what the project reports. */
export const supabaseBackupsProvider = settingsProvider<SupabaseBackupsInputs, SupabaseBackupsOutputs>({
  what: "Backups status",
  idSuffix: "backups",
  converge: status,
  refresh: status,

  async check(_olds, news) {
    const failures: CheckFailure[] = [...projectRefFailures(news.projectRef)];
    if (typeof news.pitrRequired !== "boolean")
      failures.push(failure("pitrRequired", "expected true or false"));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return settingsDiff<SupabaseBackupsInputs>(olds, news, ["pitrRequired"]);
  },
});

/** Backup status and PITR of a Supabase project, read-only. Type token `pulumi-nodejs:dynamic/supabase:Backups`. */
export class SupabaseBackups extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly pitrRequired: pulumi.Output<boolean>;
  declare readonly pitrEnabled: pulumi.Output<boolean>;
  declare readonly walgEnabled: pulumi.Output<boolean>;
  declare readonly completedBackups: pulumi.Output<number>;
  declare readonly latestBackupAt: pulumi.Output<string>;

  constructor(name: string, args: Args<SupabaseBackupsInputs>, opts?: pulumi.CustomResourceOptions) {
    const computed = {
      pitrEnabled: undefined,
      walgEnabled: undefined,
      completedBackups: undefined,
      latestBackupAt: undefined,
    };
    super(supabaseBackupsProvider, name, { ...args, ...computed }, opts, TYPE_MODULE, "Backups");
  }
}
