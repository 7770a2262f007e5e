/**
 * SupabaseAuthConfig: the project's auth URLs and sign-up switches. Only these fields are read
 * and written; the rest of the auth config (providers, SMTP, hooks, their secrets) is left alone
 * and never lands in state.
 */

import * as pulumi from "@pulumi/pulumi";
import { management } from "./api";
import { ownHttpsUrlProblem, uriList } from "./inputs";
import { type Args, type CheckFailure, failure, projectRefFailures, TYPE_MODULE } from "./provider-kit";
import { patchDifferences, settingsDiff, settingsProvider } from "./settings-provider";
import type { AuthConfigFields, UpdateAuthConfigBody } from "./types";

export interface SupabaseAuthConfigInputs {
  projectRef: string;
  /** Where Supabase sends users by default: the app's site in this environment. */
  siteUrl: string;
  /** Every URL Supabase may redirect to after sign-in (its `uri_allow_list`), sorted. */
  redirectUrls: string[];
  /** Hostnames the URLs must be on (a URL may be on one of them or a subdomain). */
  allowedDomains: string[];
  /** Whether new users may sign up (`disable_signup` is its negation). */
  signupsEnabled: boolean;
  /** Whether anonymous sign-ins are allowed. */
  anonymousSignInsEnabled: boolean;
}

export type SupabaseAuthConfigOutputs = SupabaseAuthConfigInputs;

const MANAGED: (keyof SupabaseAuthConfigInputs)[] = [
  "siteUrl",
  "redirectUrls",
  "signupsEnabled",
  "anonymousSignInsEnabled",
];

function desiredFields(inputs: SupabaseAuthConfigInputs): AuthConfigFields {
  return {
    site_url: inputs.siteUrl,
    uri_allow_list: inputs.redirectUrls.join(","),
    disable_signup: !inputs.signupsEnabled,
    external_anonymous_users_enabled: inputs.anonymousSignInsEnabled,
  };
}

/** The fields whose live value differs from the desired one: the smallest PATCH that converges. */
export function authConfigPatch(
  live: AuthConfigFields,
  inputs: SupabaseAuthConfigInputs,
): UpdateAuthConfigBody {
  const desired = desiredFields(inputs);
  const patch: UpdateAuthConfigBody = {};
  if (live.site_url !== desired.site_url) patch.site_url = desired.site_url;
  if (uriList(live.uri_allow_list).join(",") !== desired.uri_allow_list) {
    patch.uri_allow_list = desired.uri_allow_list;
  }
  if ((live.disable_signup ?? false) !== desired.disable_signup)
    patch.disable_signup = desired.disable_signup;
  if ((live.external_anonymous_users_enabled ?? false) !== desired.external_anonymous_users_enabled) {
    patch.external_anonymous_users_enabled = desired.external_anonymous_users_enabled;
  }
  return patch;
}

/** Reads the project, then sends only what differs (nothing when it already matches). */
async function converge(inputs: SupabaseAuthConfigInputs): Promise<SupabaseAuthConfigOutputs> {
  await patchDifferences(
    () => management.getAuthConfig(inputs.projectRef),
    (live) => authConfigPatch(live, inputs),
    (patch) => management.updateAuthConfig(inputs.projectRef, patch),
  );
  return inputs;
}

async function refresh(old: SupabaseAuthConfigOutputs): Promise<SupabaseAuthConfigOutputs> {
  const live = await management.getAuthConfig(old.projectRef);
  return {
    ...old,
    siteUrl: live.site_url ?? "",
    redirectUrls: uriList(live.uri_allow_list),
    signupsEnabled: !(live.disable_signup ?? false),
    anonymousSignInsEnabled: live.external_anonymous_users_enabled ?? false,
  };
}

export const supabaseAuthConfigProvider = settingsProvider<
  SupabaseAuthConfigInputs,
  SupabaseAuthConfigOutputs
>({
  what: "Auth config",
  idSuffix: "auth",
  converge,
  refresh,

  async check(_olds, news) {
    const failures: CheckFailure[] = [...projectRefFailures(news.projectRef)];
    const domains = Array.isArray(news.allowedDomains) ? news.allowedDomains : [];
    if (domains.length === 0) failures.push(failure("allowedDomains", "at least one domain is required"));
    const siteProblem =
      typeof news.siteUrl === "string" ? ownHttpsUrlProblem(news.siteUrl, domains) : "required";
    if (siteProblem) failures.push(failure("siteUrl", siteProblem));
    const urls = Array.isArray(news.redirectUrls) ? news.redirectUrls : [];
    urls.forEach((url, i) => {
      const problem = ownHttpsUrlProblem(String(url), domains);
      if (problem) failures.push(failure(`redirectUrls[${i}]`, problem));
      else if (url.includes(",")) failures.push(failure(`redirectUrls[${i}]`, "a comma would split the URL"));
    });
    for (const key of ["signupsEnabled", "anonymousSignInsEnabled"] as const) {
      if (typeof news[key] !== "boolean") failures.push(failure(key, "expected true or false"));
    }
    return { inputs: { ...news, redirectUrls: uriList(urls.join(",")) }, failures };
  },

  async diff(_id, olds, news) {
    return settingsDiff<SupabaseAuthConfigInputs>(olds, news, [...MANAGED, "allowedDomains"]);
  },
});

/** A Supabase project's auth URLs and sign-up switches. Type token `pulumi-nodejs:dynamic/supabase:AuthConfig`. */
export class SupabaseAuthConfig extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly siteUrl: pulumi.Output<string>;
  declare readonly redirectUrls: pulumi.Output<string[]>;
  declare readonly signupsEnabled: pulumi.Output<boolean>;
  declare readonly anonymousSignInsEnabled: pulumi.Output<boolean>;

  constructor(name: string, args: Args<SupabaseAuthConfigInputs>, opts?: pulumi.CustomResourceOptions) {
    super(supabaseAuthConfigProvider, name, args, opts, TYPE_MODULE, "AuthConfig");
  }
}
