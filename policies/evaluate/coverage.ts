/**
 * Which resource types of the plans the rules look at. Types from the providers that carry the
 * checklist's concerns must each be read by a rule, or be listed here with the reason none needs to.
 */
import type { RecordedResource } from "../../tools/engine/types";
import { policies as packPolicies, type LaunchpadPolicy } from "../rules";
import { FLY, SUPABASE } from "../rules/lib/types";

/**
 * Providers whose resources carry security settings: a type token's package (`vercel`, `github`,
 * `postgresql`, `random`, `docker`) or dynamic module (`pulumi-nodejs:dynamic/fly`).
 */
export const SECURITY_PROVIDERS: readonly string[] = [
  "vercel",
  "github",
  "postgresql",
  "random",
  "docker",
  "pulumi-nodejs:dynamic/fly",
  "pulumi-nodejs:dynamic/postgres",
  "pulumi-nodejs:dynamic/supabase",
];

/** Types of those providers that no rule needs to read, and why. */
export const NOT_SECURITY_RELEVANT: Readonly<Record<string, string>> = {
  "vercel:index/projectDeploymentRetention:ProjectDeploymentRetention":
    "how long deployments are kept: no checklist item",
  [FLY.app]: "a namespace: its machines, secrets, volumes and certificates carry the settings",
  [FLY.ip]: "addresses follow each service's public flag; the services' TLS is checked on the machines",
  [FLY.certificate]: "an ACME certificate is HTTPS itself: it has nothing to misconfigure",
  "pulumi-nodejs:dynamic/fly:MachineHandover":
    "stops an adopted app's old machines once the stack's own are healthy: it carries no setting",
  "postgresql:index/extension:Extension": "installs an extension (pg_cron); grants on its schema are checked",
  [SUPABASE.networkRestrictions]:
    "who may connect to the database: CIDRs are validated by the config and the provider; no checklist item fixes their values",
  [SUPABASE.postgrestConfig]:
    "what the Data API exposes: declared schemas only, whose tables are all under RLS (item 3)",
  "docker:index/image:Image": "its registry password is marked secret by the provider's schema",
  "pulumi:providers:docker": "registry credentials are marked secret by the provider's schema",
  "grafana:oss/folder:Folder": "a folder of an app's rules and dashboard: no checklist item",
  "grafana:oss/dashboard:Dashboard": "a view of metrics: no checklist item",
  "grafana:oss/dataSource:DataSource":
    "its credentials (httpHeaders, secureJsonDataEncoded) are sensitive in the provider's schema and secret inputs",
};

/** `vercel:index/project:Project` → `vercel`; `pulumi:providers:github` → `github`; dynamic → its module. */
export function providerOf(type: string): string {
  if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
  if (type.startsWith("pulumi-nodejs:dynamic/")) return type.slice(0, type.lastIndexOf(":"));
  return type.split(":")[0] ?? type;
}

export interface UncoveredType {
  type: string;
  /** How many resources of the type the plans hold, per stack. */
  count: Record<string, number>;
  /** Why no rule needs it, when it is judged not security-relevant. */
  reason?: string;
  /** A type of a security provider that no rule reads and no reason excuses. */
  gap: boolean;
}

export interface CoverageReport {
  covered: string[];
  uncovered: UncoveredType[];
}

/** The provider-managed types in the plans, split into those some rule reads and the rest. */
export function policyCoverage(
  plans: ReadonlyArray<{ stack: string; resources: readonly RecordedResource[] }>,
  rules: readonly LaunchpadPolicy[] = packPolicies,
): CoverageReport {
  const read = new Set(rules.flatMap((r) => r.resourceTypes));
  const counts = new Map<string, Record<string, number>>();
  for (const plan of plans) {
    for (const r of plan.resources) {
      if (!r.custom) continue;
      const count = counts.get(r.type) ?? {};
      count[plan.stack] = (count[plan.stack] ?? 0) + 1;
      counts.set(r.type, count);
    }
  }
  const types = [...counts.keys()].sort();
  return {
    covered: types.filter((t) => read.has(t)),
    uncovered: types
      .filter((t) => !read.has(t))
      .map((type) => {
        const reason = NOT_SECURITY_RELEVANT[type];
        return {
          type,
          count: counts.get(type)!,
          ...(reason ? { reason } : {}),
          gap: reason === undefined && SECURITY_PROVIDERS.includes(providerOf(type)),
        };
      }),
  };
}
