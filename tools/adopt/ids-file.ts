/**
 * The ids file of `launchpad import`: a small YAML that names, per app, what already runs and
 * should be taken over (a Vercel project and its variables, GitHub environments and rulesets,
 * Postgres roles…). Each id's shape is checked against the import-id format the provider documents
 * at its pinned version (docs/providers.md, "Import ids").
 */

import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";

const vercelTeam = z.string().regex(/^team_[A-Za-z0-9]+$/, "expected a Vercel team id (team_…)");
const vercelProject = z.string().regex(/^prj_[A-Za-z0-9]+$/, "expected a Vercel project id (prj_…)");
const vercelEnvId = z
  .string()
  .regex(/^[A-Za-z0-9]+$/, "expected a Vercel environment variable id (letters and digits)");
const vercelRoute = z.string().regex(/^rt_[A-Za-z0-9]+$/, "expected a Vercel route id (rt_…)");
const githubId = z.number().int().positive("expected a positive GitHub id");
const sqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "expected a Postgres identifier");

const appIdsSchema = z
  .object({
    vercel: z
      .object({
        project: vercelProject,
        /** Domains attached to the project (a domain belongs to one project at a time). */
        domains: z.array(z.string().min(1)).default([]),
        /** Sensitive variables, by key → Vercel's variable id. */
        envVars: z.record(z.string(), vercelEnvId).default({}),
        /** Routes, by the stack's route name → Vercel's route id. */
        routes: z.record(z.string(), vercelRoute).default({}),
        firewall: z.boolean().default(false),
        retention: z.boolean().default(false),
      })
      .strict()
      .optional(),
    github: z
      .object({
        /** The repository already has an environment named like the stack. */
        environment: z.boolean().default(false),
        /** Deployment branch policies, by branch pattern → policy id. */
        branchPolicies: z.record(z.string(), githubId).default({}),
        /** Environment secrets that already exist, by name (imported without their values). */
        environmentSecrets: z.array(z.string().min(1)).default([]),
        /** Rulesets, by name → ruleset id. */
        rulesets: z.record(z.string(), githubId).default({}),
        /** The Discord webhook already on the repository. */
        webhook: githubId.optional(),
      })
      .strict()
      .optional(),
    postgres: z
      .object({
        /** The database the app's layer lives in (extensions are imported as `<database>.<name>`). */
        database: sqlName.default("postgres"),
        extensions: z.array(sqlName).default([]),
        roles: z.array(sqlName).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export const idsFileSchema = z
  .object({
    /** The Vercel team the projects belong to; omitted for a personal account. */
    vercel: z.object({ team: vercelTeam.optional() }).strict().default({}),
    apps: z.record(z.string(), appIdsSchema),
  })
  .strict();

export type IdsFile = z.infer<typeof idsFileSchema>;
export type AppIds = z.infer<typeof appIdsSchema>;

/** A problem in the ids file, at a key path, reported with the file's name (exit 2). */
export interface IdsProblem {
  path: (string | number)[];
  message: string;
}

export function formatIdsProblem(file: string, problem: IdsProblem): string {
  const at = problem.path.length > 0 ? `${problem.path.join(".")}: ` : "";
  return `${file}: ${at}${problem.message}`;
}

/** Reads and validates the ids file; problems name the key path of each mistake. */
export function readIdsFile(
  file: string,
): { ok: true; ids: IdsFile } | { ok: false; problems: IdsProblem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return {
      ok: false,
      problems: [{ path: [], message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? error})` }],
    };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    return {
      ok: false,
      problems: [
        {
          path: [],
          message: `invalid YAML at line ${first.linePos?.[0]?.line ?? "?"}: ${first.message.split("\n")[0]}`,
        },
      ],
    };
  }
  const parsed = idsFileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, ids: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message:
        issue.code === "unrecognized_keys"
          ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
          : issue.message,
    })),
  };
}
