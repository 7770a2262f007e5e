/**
 * SupabaseNetworkRestrictions: the CIDRs allowed to reach the project's database (direct and
 * pooled connections). The API takes the whole allow-list at once, one list per address family,
 * stores it, and applies it in the background: the provider sends the full list and waits for
 * `status: applied`. `0.0.0.0/0` and `::/0` together mean unrestricted.
 */

import * as pulumi from "@pulumi/pulumi";
import { management } from "./api";
import { cidrFamily, cidrsByFamily, UNRESTRICTED } from "./inputs";
import {
  type Args,
  type CheckFailure,
  failure,
  projectRefFailures,
  TYPE_MODULE,
  waitUntilApplied,
} from "./provider-kit";
import { settingsDiff, settingsProvider } from "./settings-provider";
import type { NetworkRestrictionsResponse } from "./types";

export interface SupabaseNetworkRestrictionsInputs {
  projectRef: string;
  /** IPv4 and IPv6 CIDRs, sorted; `["0.0.0.0/0", "::/0"]` for no restriction. */
  allowedCidrs: string[];
}

export interface SupabaseNetworkRestrictionsOutputs extends SupabaseNetworkRestrictionsInputs {
  /** `applied` once the project enforces the list; `stored` while the API is still applying it. */
  status: "stored" | "applied";
}

function isUnrestricted(cidrs: readonly string[]): boolean {
  const { v4, v6 } = cidrsByFamily(cidrs);
  return v4.includes(UNRESTRICTED.v4[0]) && v6.includes(UNRESTRICTED.v6[0]);
}

/** The live allow-list; a project that never set one allows everyone. */
export function liveCidrs(live: NetworkRestrictionsResponse): string[] {
  const v4 = live.config.dbAllowedCidrs ?? [...UNRESTRICTED.v4];
  const v6 = live.config.dbAllowedCidrsV6 ?? [...UNRESTRICTED.v6];
  const byFamily = cidrsByFamily([...v4, ...v6]);
  return [...byFamily.v4, ...byFamily.v6].sort();
}

async function converge(
  inputs: SupabaseNetworkRestrictionsInputs,
): Promise<SupabaseNetworkRestrictionsOutputs> {
  const ref = inputs.projectRef;
  const live = await management.getNetworkRestrictions(ref);
  const matches = (r: NetworkRestrictionsResponse) =>
    liveCidrs(r).join(",") === inputs.allowedCidrs.join(",");
  if (live.entitlement === "disallowed") {
    if (isUnrestricted(inputs.allowedCidrs)) return { ...inputs, status: "applied" };
    throw new Error(
      `network restrictions of Supabase project ${ref}: the project's plan does not include them ` +
        `(entitlement "disallowed"); allow every address (0.0.0.0/0 and ::/0) or upgrade the plan`,
    );
  }
  if (matches(live) && live.status === "applied") return { ...inputs, status: "applied" };
  const { v4, v6 } = cidrsByFamily(inputs.allowedCidrs);
  const stored = matches(live)
    ? live
    : await management.applyNetworkRestrictions(ref, { dbAllowedCidrs: v4, dbAllowedCidrsV6: v6 });
  const applied =
    stored.status === "applied" && matches(stored)
      ? stored
      : await waitUntilApplied(
          `the network restrictions of project ${ref}`,
          () => management.getNetworkRestrictions(ref),
          (r) => r.status === "applied" && matches(r),
        );
  return { ...inputs, status: applied.status };
}

async function refresh(old: SupabaseNetworkRestrictionsOutputs): Promise<SupabaseNetworkRestrictionsOutputs> {
  const live = await management.getNetworkRestrictions(old.projectRef);
  return { ...old, allowedCidrs: liveCidrs(live), status: live.status };
}

export const supabaseNetworkRestrictionsProvider = settingsProvider<
  SupabaseNetworkRestrictionsInputs,
  SupabaseNetworkRestrictionsOutputs
>({
  what: "Network restrictions",
  idSuffix: "network-restrictions",
  converge,
  refresh,

  async check(_olds, news) {
    const failures: CheckFailure[] = [...projectRefFailures(news.projectRef)];
    const cidrs = Array.isArray(news.allowedCidrs) ? news.allowedCidrs.map(String) : [];
    if (cidrs.length === 0) {
      failures.push(
        failure("allowedCidrs", "at least one CIDR is required; 0.0.0.0/0 and ::/0 allow every address"),
      );
    }
    cidrs.forEach((c, i) => {
      if (!cidrFamily(c)) failures.push(failure(`allowedCidrs[${i}]`, `"${c}" is not an IPv4 or IPv6 CIDR`));
    });
    const { v4, v6 } = cidrsByFamily(cidrs);
    return { inputs: { ...news, allowedCidrs: [...v4, ...v6].sort() }, failures };
  },

  async diff(_id, olds, news) {
    // A list the API had stored but not yet applied is waited for again.
    const pending = (olds as Partial<SupabaseNetworkRestrictionsOutputs>).status === "stored";
    return settingsDiff<SupabaseNetworkRestrictionsInputs>(olds, news, ["allowedCidrs"], pending);
  },
});

/** The database allow-list of a Supabase project. Type token `pulumi-nodejs:dynamic/supabase:NetworkRestrictions`. */
export class SupabaseNetworkRestrictions extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly allowedCidrs: pulumi.Output<string[]>;
  declare readonly status: pulumi.Output<string>;

  constructor(
    name: string,
    args: Args<SupabaseNetworkRestrictionsInputs>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      supabaseNetworkRestrictionsProvider,
      name,
      { ...args, status: undefined },
      opts,
      TYPE_MODULE,
      "NetworkRestrictions",
    );
  }
}
