import type { PlatformSpec } from "../schema";
import type { RuleIssue } from "./types";

/** Secret values by app, then name; `undefined` where the value cannot be read (encrypted, offline). */
export type SecretValueMap = Record<string, Record<string, string | undefined>>;

/**
 * Rules on secret values, checked once they are known. Messages name the config key, never the value.
 * - a database's admin connection string is a postgresql:// URL that does not turn TLS off;
 * - the alerts webhook is an https URL (it carries a Discord token: never over plain http);
 * - no public variable's literal equals one of the app's secrets.
 */
export function secretValueIssues(platform: PlatformSpec, values: SecretValueMap): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const [name, app] of Object.entries(platform.apps)) {
    const secrets = values[name] ?? {};
    const adminUrl = app.database && secrets[app.database.adminUrlSecret];
    const adminUrlProblem = adminUrl === undefined ? undefined : databaseUrlProblem(adminUrl);
    if (app.database && adminUrlProblem) {
      issues.push({ path: ["secrets", name, app.database.adminUrlSecret], message: adminUrlProblem });
    }
    const webhook = secrets[app.alerts.webhookSecret];
    if (webhook !== undefined && !isHttpsUrl(webhook)) {
      issues.push({
        path: ["secrets", name, app.alerts.webhookSecret],
        message: "expected an https:// webhook URL (value not shown); a webhook URL embeds its token",
      });
    }
    for (const [variable, value] of Object.entries(app.frontend?.publicEnv ?? {})) {
      if (typeof value !== "string" || value === "") continue;
      const leaked = Object.entries(secrets).find(([, secret]) => secret === value);
      if (leaked) {
        issues.push({
          path: ["apps", name, "frontend", "publicEnv", variable],
          message: `its value is the secret ${leaked[0]}; public variables are inlined into the browser bundle`,
        });
      }
    }
  }
  return issues;
}

/** sslmode values that do not insist on TLS. */
const WEAK_SSLMODES = ["disable", "allow", "prefer"];

/**
 * Why an admin connection string is unusable, or undefined when it is fine. The messages never
 * quote the value: it carries a password.
 */
export function databaseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected a postgresql://user:password@host:port/database URL (value not shown)";
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    return "expected a postgresql:// URL (value not shown)";
  }
  if (!url.hostname || !url.username || url.pathname.length <= 1) {
    return "expected a user, a host and a database in the URL (value not shown)";
  }
  const mode = url.searchParams.get("sslmode");
  if (mode !== null && WEAK_SSLMODES.includes(mode)) {
    return `sslmode=${mode} does not require TLS; use require, verify-ca or verify-full (value not shown)`;
  }
  return undefined;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
