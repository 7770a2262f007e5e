import { siteHostname, siteUrl } from "../../naming";
import { ownHttpsUrlProblem, projectRefFromUrl } from "../../providers/supabase/inputs";
import type { AppSpec, EnvironmentProfile } from "../schema";
import { appPath, type RuleIssue } from "./types";

/**
 * A Supabase project's settings name a project that can be known, and every auth URL is https on
 * the app's own site in this environment (its hostname or a subdomain of it): a redirect URL is
 * where Supabase sends a user's tokens.
 */
export function supabaseRules(name: string, app: AppSpec, environment: EnvironmentProfile): RuleIssue[] {
  const database = app.database;
  if (!database || database.flavor !== "supabase") return [];
  const at = appPath(name);
  const issues: RuleIssue[] = [];
  const { projectRef, auth } = database.supabase;
  const derived = database.supabaseUrl ? projectRefFromUrl(database.supabaseUrl) : undefined;
  if (database.supabaseUrl && !projectRef && !derived) {
    issues.push({
      path: at("database", "supabase", "projectRef"),
      message:
        `database.supabaseUrl (${database.supabaseUrl}) is not https://<ref>.supabase.co, so the project ` +
        "ref cannot be derived from it; declare it (20 lowercase letters, from the dashboard's project settings)",
    });
  }
  if (projectRef && derived && projectRef !== derived) {
    issues.push({
      path: at("database", "supabase", "projectRef"),
      message: `"${projectRef}" differs from the ref in database.supabaseUrl ("${derived}")`,
    });
  }
  if (!database.supabaseUrl && !projectRef) return issues;

  const domains = [siteHostname(name, app, environment)];
  if (auth.siteUrl) {
    const problem = ownHttpsUrlProblem(auth.siteUrl, domains);
    if (problem) issues.push({ path: at("database", "supabase", "auth", "siteUrl"), message: problem });
  }
  auth.redirectUrls.forEach((url, i) => {
    const problem = ownHttpsUrlProblem(url, domains);
    if (problem)
      issues.push({ path: at("database", "supabase", "auth", "redirectUrls", i), message: problem });
  });
  // The paths are joined to the site URL; a path cannot leave it, but say so if one ever could.
  const site = siteUrl(name, app, environment);
  auth.redirectPaths.forEach((path, i) => {
    const problem = ownHttpsUrlProblem(`${site}${path}`, domains);
    if (problem)
      issues.push({ path: at("database", "supabase", "auth", "redirectPaths", i), message: problem });
  });
  return issues;
}
