import { serviceHostname, siteHostname } from "../../naming";
import { resolveService } from "../defaults";
import type { KeyPath } from "../key-paths";
import type { EnvironmentProfile, PlatformSpec } from "../schema";
import type { RuleIssue } from "./types";

/** A hostname an app answers on (or will, in production), and the key that gives it. */
interface Claim {
  app: string;
  hostname: string;
  what: string;
  path: KeyPath;
}

/**
 * Every hostname each app claims: its production domain, its site's hostname and its public services'
 * hostnames, both as this stack lays them out and as production does (apps on their own domains),
 * so a clash that only production would hit is caught in every stack.
 */
function claims(platform: PlatformSpec): Claim[] {
  const env = platform.environment;
  const layouts: EnvironmentProfile[] = env.useAppDomains ? [env] : [env, { ...env, useAppDomains: true }];
  const found: Claim[] = [];
  for (const [app, spec] of Object.entries(platform.apps)) {
    found.push({
      app,
      hostname: spec.domain,
      what: `the domain of app "${app}"`,
      path: ["apps", app, "domain"],
    });
    for (const layout of layouts) {
      if (spec.frontend) {
        found.push({
          app,
          hostname: siteHostname(app, spec, layout),
          what: `the site of app "${app}"`,
          path: ["apps", app, "domain"],
        });
      }
      for (const [service, raw] of Object.entries(spec.services)) {
        const resolved = resolveService(raw, layout);
        if (!resolved.enabled || !resolved.public) continue;
        found.push({
          app,
          hostname: serviceHostname(app, service, spec, layout),
          what: `the hostname of service "${service}" of app "${app}"`,
          path: ["apps", app, "services", service],
        });
      }
    }
  }
  return found;
}

/**
 * A hostname belongs to one app: two apps on one domain, or an app's domain that is another app's
 * derived hostname (`api.<domain>`), would fight over its DNS record and certificate.
 */
export function hostnameRules(platform: PlatformSpec): RuleIssue[] {
  const owner = new Map<string, Claim>();
  const issues: RuleIssue[] = [];
  const reported = new Set<string>();
  for (const claim of claims(platform)) {
    const first = owner.get(claim.hostname);
    if (!first) {
      owner.set(claim.hostname, claim);
      continue;
    }
    if (first.app === claim.app) continue;
    const key = `${claim.hostname} ${claim.app}`;
    if (reported.has(key)) continue;
    reported.add(key);
    issues.push({
      path: claim.path,
      message: `hostname "${claim.hostname}" (${claim.what}) is already ${first.what}; each hostname belongs to one app`,
    });
  }
  return issues;
}
