import { requiredSecrets } from "../secrets";
import { joinPath, type KeyPath } from "../key-paths";
import type { AppSpec } from "../schema";
import { appPath, type RuleIssue } from "./types";

/** Where each secret name of an app is declared (the first place that names it). */
function declaredSecrets(name: string, app: AppSpec): Map<string, KeyPath> {
  const at = appPath(name);
  const found = new Map<string, KeyPath>();
  const declare = (secret: string, path: KeyPath): void => {
    if (!found.has(secret)) found.set(secret, path);
  };
  (app.frontend?.secretEnv ?? []).forEach((secret, i) => declare(secret, at("frontend", "secretEnv", i)));
  for (const [service, spec] of Object.entries(app.services)) {
    spec.secrets.forEach((secret, i) => declare(secret, at("services", service, "secrets", i)));
  }
  if (app.database) declare(app.database.adminUrlSecret, at("database", "adminUrlSecret"));
  declare(app.alerts.webhookSecret, at("alerts", "webhookSecret"));
  app.ciSecrets.forEach((secret, i) => declare(secret, at("ciSecrets", i)));
  return found;
}

/**
 * A plain `env` entry named like one of the app's secrets is a secret value committed in the
 * catalog: the secret would win at run time, so the plain value looks harmless and stays in the
 * repository. Both keys are named: the entry to delete and the secret it shadows.
 */
export function envSecretRules(name: string, app: AppSpec): RuleIssue[] {
  const declared = declaredSecrets(name, app);
  const issues: RuleIssue[] = [];
  const needed = requiredSecrets(app);
  for (const [service, spec] of Object.entries(app.services)) {
    for (const [variable, value] of Object.entries(spec.env)) {
      // Wired values ({ from: … }) carry no committed value.
      if (typeof value !== "string") continue;
      const secret = declared.get(variable);
      if (!secret && !needed.has(variable)) continue;
      const where = secret
        ? `launchpad:${joinPath(secret)}`
        : `a stack secret the app's ${needed.get(variable)!.join(", ")} needs`;
      issues.push({
        path: ["apps", name, "services", service, "env", variable],
        message: `"${variable}" is a secret (${where}): delete this plain entry, whose value is committed, and store the value with \`pulumi config set --secret\``,
      });
    }
  }
  return issues;
}
