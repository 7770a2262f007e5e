/** SupabaseSslEnforcement: whether the project refuses database connections without TLS. */

import * as pulumi from "@pulumi/pulumi";
import { management } from "./api";
import {
  type Args,
  type CheckFailure,
  failure,
  projectRefFailures,
  TYPE_MODULE,
  waitUntilApplied,
} from "./provider-kit";
import { settingsDiff, settingsProvider } from "./settings-provider";

export interface SupabaseSslEnforcementInputs {
  projectRef: string;
  /** Refuse non-TLS connections to the database (the API's `requestedConfig.database`). */
  enforced: boolean;
}

export type SupabaseSslEnforcementOutputs = SupabaseSslEnforcementInputs;

/** Reads the project; changes it only when it differs, then waits for the API to report it applied. */
async function converge(inputs: SupabaseSslEnforcementInputs): Promise<SupabaseSslEnforcementOutputs> {
  const ref = inputs.projectRef;
  const live = await management.getSslEnforcement(ref);
  const settled = (r: typeof live) => r.currentConfig.database === inputs.enforced && r.appliedSuccessfully;
  if (settled(live)) return inputs;
  const answer =
    live.currentConfig.database === inputs.enforced
      ? live
      : await management.updateSslEnforcement(ref, inputs.enforced);
  if (!settled(answer)) {
    await waitUntilApplied(
      `SSL enforcement of project ${ref}`,
      () => management.getSslEnforcement(ref),
      settled,
    );
  }
  return inputs;
}

async function refresh(old: SupabaseSslEnforcementOutputs): Promise<SupabaseSslEnforcementOutputs> {
  const live = await management.getSslEnforcement(old.projectRef);
  return { ...old, enforced: live.currentConfig.database };
}

export const supabaseSslEnforcementProvider = settingsProvider<
  SupabaseSslEnforcementInputs,
  SupabaseSslEnforcementOutputs
>({
  what: "SSL enforcement",
  idSuffix: "ssl-enforcement",
  converge,
  refresh,

  async check(_olds, news) {
    const failures: CheckFailure[] = [...projectRefFailures(news.projectRef)];
    if (typeof news.enforced !== "boolean") failures.push(failure("enforced", "expected true or false"));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return settingsDiff<SupabaseSslEnforcementInputs>(olds, news, ["enforced"]);
  },
});

/** SSL enforcement of a Supabase project's database. Type token `pulumi-nodejs:dynamic/supabase:SslEnforcement`. */
export class SupabaseSslEnforcement extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly enforced: pulumi.Output<boolean>;

  constructor(name: string, args: Args<SupabaseSslEnforcementInputs>, opts?: pulumi.CustomResourceOptions) {
    super(supabaseSslEnforcementProvider, name, args, opts, TYPE_MODULE, "SslEnforcement");
  }
}
