import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { STACK_NAMES } from "../../infra/config";

/**
 * An app as a team would add it: one catalog block and a Supabase URL per stack. A Next.js frontend,
 * an API on Fly built from its Dockerfile, Supabase with one owner-RLS table, a Discord channel.
 */
export function extraAppBlock(name: string): Record<string, unknown> {
  return {
    description: `${name} — an app added by its team`,
    domain: `${name}.app`,
    repository: { owner: name, name: `${name}-web`, requiredChecks: ["test", "build"] },
    frontend: {
      framework: "nextjs",
      publicEnv: {
        NEXT_PUBLIC_SUPABASE_URL: { from: "supabaseUrl" },
        NEXT_PUBLIC_API_URL: { from: "backendUrl" },
      },
      rateLimit: { requests: 120, windowSeconds: 60 },
    },
    services: {
      api: {
        kind: "web",
        build: { dockerfile: "api/Dockerfile", context: "api" },
        port: 8080,
        healthCheck: { path: "/health" },
        rateLimitPerMinute: 120,
        env: { DATABASE_URL: { from: "databaseUrl" } },
      },
    },
    database: {
      flavor: "supabase",
      tables: {
        notes: {
          columns: { id: "uuid", user_id: "uuid", body: "text", created_at: "timestamptz" },
          rls: { model: "owner", column: "user_id" },
        },
      },
    },
    alerts: { channel: `${name}-alerts` },
  };
}

/** The extra app's Supabase URL in a stack: its project ref has the API's shape (20 lowercase letters). */
export function extraAppSupabaseUrl(name: string, stack: string): string {
  const ref = `${stack}${name}`
    .replace(/[^a-z]/g, "")
    .padEnd(20, "x")
    .slice(0, 20);
  return `https://${ref}.supabase.co`;
}

/** Adds the extra app to the catalog of the project in `dir`, and its Supabase URL to each stack file. */
export function addExtraApp(dir: string, name: string): void {
  const catalogFile = path.join(dir, "Pulumi.yaml");
  const catalog = parseDocument(fs.readFileSync(catalogFile, "utf8"));
  catalog.setIn(["config", "launchpad:apps", "value", name], extraAppBlock(name));
  fs.writeFileSync(catalogFile, catalog.toString());
  for (const stack of STACK_NAMES) {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["config", "launchpad:overrides", name], {
      database: { supabaseUrl: extraAppSupabaseUrl(name, stack) },
    });
    fs.writeFileSync(file, doc.toString());
  }
}
