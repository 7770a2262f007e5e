import { z } from "zod";
import { envName } from "./common";

/** Variables with these prefixes are inlined into the browser bundle: public by construction. */
export const PUBLIC_ENV_NAME = /^(NEXT_PUBLIC|VITE)_[A-Z0-9_]+$/;

/** A value the stack computes and wires into a public variable. */
export const wiredValue = z.enum(["backendUrl", "siteUrl", "supabaseUrl"]);

/** Why a public variable can never take a secret: the bundler inlines it into the browser's JavaScript. */
export const PUBLIC_FROM_SECRET =
  "a public variable is inlined into the browser bundle, so it can never be fed from a secret " +
  "(put server-side secrets in frontend.secretEnv, under a name without the public prefix)";

/**
 * A public (`NEXT_PUBLIC_*`) variable: a literal, or a value wired from another part of the app
 * (`{ from: backendUrl | siteUrl | supabaseUrl }`). There is deliberately no way to name a secret.
 */
export const publicEnvValue = z.union([z.string(), z.object({ from: wiredValue }).strict()], {
  error: (issue) => {
    const input = issue.input;
    if (typeof input !== "object" || input === null) return undefined;
    const from = (input as Record<string, unknown>)["from"];
    if ("secret" in input || (typeof from === "string" && !wiredValue.safeParse(from).success)) {
      return PUBLIC_FROM_SECRET;
    }
    return `expected a literal or { from: ${wiredValue.options.join(" | ")} }`;
  },
});

/** Firewall rate limit applied per client IP. */
export const rateLimitSchema = z
  .object({
    requests: z.number().int().min(1).max(100_000),
    windowSeconds: z.number().int().min(1).max(3600).default(60),
  })
  .strict();

/** The Next.js frontend of an app, deployed on Vercel. */
export const frontendSchema = z
  .object({
    framework: z.enum(["nextjs", "vite", "remix", "astro"]).default("nextjs"),
    /** Directory of the frontend inside the repository (monorepos: `apps/web`). */
    rootDirectory: z.string().min(1).default("."),
    installCommand: z.string().min(1).optional(),
    buildCommand: z.string().min(1).optional(),
    outputDirectory: z.string().min(1).optional(),
    /** Browser-visible variables; names carry the framework's public prefix (`NEXT_PUBLIC_`, `VITE_`). */
    publicEnv: z
      .record(z.string().regex(PUBLIC_ENV_NAME, "expected a NEXT_PUBLIC_* or VITE_* name"), publicEnvValue)
      .default({}),
    /** Server-side variables whose values are stack secrets (Vercel `sensitive`). */
    secretEnv: z.array(envName).default([]),
    rateLimit: rateLimitSchema.optional(),
  })
  .strict();

export type FrontendSpec = z.infer<typeof frontendSchema>;
export type RateLimitSpec = z.infer<typeof rateLimitSchema>;
