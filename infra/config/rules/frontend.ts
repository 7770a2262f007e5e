import { PUBLIC_ENV_NAME, type AppSpec } from "../schema";
import { appPath, type RuleIssue } from "./types";

/** Values wired into public variables come from parts the app declares. */
export function wiredPublicEnvRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const at = appPath(name);
  for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
    if (typeof value === "string") continue;
    if (
      value.from === "backendUrl" &&
      !Object.values(app.services).some((s) => s.enabled && s.kind === "web" && s.public !== false)
    ) {
      issues.push({
        path: at("frontend", "publicEnv", variable),
        message: "wired from the backend URL, but the app declares no enabled public web service",
      });
    }
    if (value.from === "supabaseUrl" && !app.database) {
      issues.push({
        path: at("frontend", "publicEnv", variable),
        message: "wired from the Supabase URL, but the app declares no database",
      });
    } else if (value.from === "supabaseUrl" && !app.database?.supabaseUrl) {
      // Each environment has its own Supabase project: the URL goes in the stack's overrides.
      issues.push({
        path: at("database", "supabaseUrl"),
        message: `not set for this stack, but frontend.publicEnv.${variable} is wired from it (Pulumi.yaml: launchpad:apps.${name}.frontend.publicEnv.${variable})`,
        fixInStack: true,
      });
    }
  }
  return issues;
}

/** Names that say "secret": a public variable so named is a leak waiting to happen. */
const SECRET_NAME = /(SERVICE_ROLE|SERVICE_KEY|SECRET|PASSWORD|PRIVATE_KEY)/;

/** True for a JWT whose payload claims Supabase's `service_role` (the key that bypasses RLS). */
export function isServiceRoleJwt(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 3) return false;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    return (
      typeof payload === "object" && payload !== null && "role" in payload && payload.role === "service_role"
    );
  } catch {
    return false;
  }
}

/**
 * A service-role key (or any secret) must never reach the browser: public variables are inlined into
 * the bundle. Messages name the variable, never its value.
 */
export function frontendSecretRules(name: string, app: AppSpec): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const inApp = appPath(name);
  const at = (...path: Array<string | number>) => inApp("frontend", ...path);
  (app.frontend?.secretEnv ?? []).forEach((variable, index) => {
    if (PUBLIC_ENV_NAME.test(variable)) {
      issues.push({
        path: at("secretEnv", index),
        message: `"${variable}" has a public prefix, so its secret value would be inlined into the browser bundle; use a server-only name`,
      });
    }
  });
  for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
    if (SECRET_NAME.test(variable)) {
      issues.push({
        path: at("publicEnv", variable),
        message:
          "names a secret (service-role key, password, private key); public variables are inlined into the browser bundle",
      });
    } else if (typeof value === "string" && isServiceRoleJwt(value)) {
      issues.push({
        path: at("publicEnv", variable),
        message:
          "holds a Supabase service-role key (value not shown); it bypasses RLS and must never be public",
      });
    }
  }
  return issues;
}
