import { z } from "zod";
import { cidrFamily, PROJECT_REF } from "../../providers/supabase/inputs";
import { httpsUrl, sqlIdentifier } from "./common";

/** Paths on the app's own site that Supabase may send users back to after sign-in. */
const redirectPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~/-]*$/, "expected a path on the app's site, such as /auth/callback");

const cidr = z.string().refine((value) => cidrFamily(value) !== undefined, {
  message: "expected an IPv4 or IPv6 CIDR, such as 203.0.113.0/24 or 2001:db8::/32",
});

export const supabaseAuthSchema = z
  .object({
    /** Where Supabase sends users by default; the app's site in the stack's environment when unset. */
    siteUrl: httpsUrl.optional(),
    /** Redirect URLs, as paths on the app's site in the stack's environment. */
    redirectPaths: z.array(redirectPath).default(["/auth/callback", "/auth/confirm"]),
    /** Further redirect URLs: https, on the app's site hostname or one of its subdomains. */
    redirectUrls: z.array(httpsUrl).default([]),
    /** Whether new users may sign up; off unless the app needs it. */
    signups: z.boolean().default(false),
    /** Whether anonymous sign-ins are allowed; off unless the app needs them. */
    anonymousSignIns: z.boolean().default(false),
  })
  .strict();

export const supabaseNetworkSchema = z
  .object({
    /** CIDRs allowed to reach the database; unset allows every address (0.0.0.0/0 and ::/0). */
    allowedCidrs: z.array(cidr).min(1).optional(),
  })
  .strict();

export const supabaseApiSchema = z
  .object({
    /** Schemas the Data API (PostgREST) exposes, the first being the default one. */
    schemas: z.array(sqlIdentifier).min(1).default(["public"]),
    /** Rows one Data API response may hold. */
    maxRows: z.number().int().min(1).max(1_000_000).default(1000),
  })
  .strict();

/** The Supabase project's own settings (Management API), beside what lives in the database. */
export const supabaseSettingsSchema = z
  .object({
    /** The project's ref; derived from `database.supabaseUrl` (`https://<ref>.supabase.co`) when unset. */
    projectRef: z
      .string()
      .regex(PROJECT_REF, "expected a Supabase project ref: 20 lowercase letters")
      .optional(),
    auth: supabaseAuthSchema.default({
      redirectPaths: ["/auth/callback", "/auth/confirm"],
      redirectUrls: [],
      signups: false,
      anonymousSignIns: false,
    }),
    network: supabaseNetworkSchema.default({}),
    api: supabaseApiSchema.default({ schemas: ["public"], maxRows: 1000 }),
  })
  .strict();

export type SupabaseSettingsSpec = z.infer<typeof supabaseSettingsSchema>;

export const SUPABASE_SETTINGS_DEFAULT: SupabaseSettingsSpec = {
  auth: {
    redirectPaths: ["/auth/callback", "/auth/confirm"],
    redirectUrls: [],
    signups: false,
    anonymousSignIns: false,
  },
  network: {},
  api: { schemas: ["public"], maxRows: 1000 },
};
