/**
 * Which declared resource an ids file adopts, and its import id in the format the provider documents
 * at its pinned version (see docs/providers.md, "Import ids", for the upstream file of each).
 */

import type { RecordedResource } from "../engine";
import type { AppIds, IdsFile } from "./ids-file";

/** A resource the ids file adopts, with the import id `pulumi import` takes. */
export interface ImportMatch {
  resource: RecordedResource;
  id: string;
  /** Key path of the ids-file entry that adopts it. */
  path: (string | number)[];
}

type Inputs = Record<string, unknown>;
const str = (inputs: Inputs, key: string) => String(inputs[key] ?? "");

/** One rule per importable type: which ids-file entries adopt a resource of that type, and its id. */
interface ImportRule {
  type: string;
  /** The entries of an app's ids that may adopt resources of this type, as key paths under the app. */
  entries: (ids: AppIds) => (string | number)[][];
  /** The entry (under the app) that adopts this resource, if any, and its id. */
  match: (
    r: RecordedResource,
    ids: AppIds,
    team: string | undefined,
  ) => { path: (string | number)[]; id: string } | undefined;
}

/** `team_…/prj_…` when a team is set, `prj_…` for a personal account (vercel/*: splitID / ImportState). */
const vercelPrefix = (team: string | undefined, project: string) => (team ? `${team}/${project}` : project);

const keys = (record: Record<string, unknown> | undefined, ...prefix: string[]) =>
  Object.keys(record ?? {}).map((k) => [...prefix, k]);
const items = (list: string[] | undefined, ...prefix: string[]) => (list ?? []).map((_, i) => [...prefix, i]);

export const IMPORT_RULES: readonly ImportRule[] = [
  {
    type: "vercel:index/project:Project",
    entries: (ids) => (ids.vercel ? [["vercel", "project"]] : []),
    match: (_r, ids, team) =>
      ids.vercel ? { path: ["vercel", "project"], id: vercelPrefix(team, ids.vercel.project) } : undefined,
  },
  {
    type: "vercel:index/projectDomain:ProjectDomain",
    entries: (ids) => items(ids.vercel?.domains, "vercel", "domains"),
    match: (r, ids, team) => {
      const i = ids.vercel?.domains.indexOf(str(r.inputs, "domain")) ?? -1;
      return i < 0
        ? undefined
        : {
            path: ["vercel", "domains", i],
            id: `${vercelPrefix(team, ids.vercel!.project)}/${ids.vercel!.domains[i]}`,
          };
    },
  },
  {
    type: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
    entries: (ids) => keys(ids.vercel?.envVars, "vercel", "envVars"),
    match: (r, ids, team) => {
      const key = str(r.inputs, "key");
      const envId = ids.vercel?.envVars[key];
      return envId === undefined
        ? undefined
        : { path: ["vercel", "envVars", key], id: `${vercelPrefix(team, ids.vercel!.project)}/${envId}` };
    },
  },
  {
    type: "vercel:index/projectRoute:ProjectRoute",
    entries: (ids) => keys(ids.vercel?.routes, "vercel", "routes"),
    match: (r, ids, team) => {
      const name = str(r.inputs, "name");
      const route = ids.vercel?.routes[name];
      return route === undefined
        ? undefined
        : { path: ["vercel", "routes", name], id: `${vercelPrefix(team, ids.vercel!.project)}/${route}` };
    },
  },
  {
    type: "vercel:index/firewallConfig:FirewallConfig",
    entries: (ids) => (ids.vercel?.firewall ? [["vercel", "firewall"]] : []),
    match: (_r, ids, team) =>
      ids.vercel?.firewall
        ? { path: ["vercel", "firewall"], id: vercelPrefix(team, ids.vercel.project) }
        : undefined,
  },
  {
    type: "vercel:index/projectDeploymentRetention:ProjectDeploymentRetention",
    entries: (ids) => (ids.vercel?.retention ? [["vercel", "retention"]] : []),
    match: (_r, ids, team) =>
      ids.vercel?.retention
        ? { path: ["vercel", "retention"], id: vercelPrefix(team, ids.vercel.project) }
        : undefined,
  },
  {
    type: "github:index/repositoryEnvironment:RepositoryEnvironment",
    entries: (ids) => (ids.github?.environment ? [["github", "environment"]] : []),
    match: (r, ids) =>
      ids.github?.environment
        ? {
            path: ["github", "environment"],
            id: `${str(r.inputs, "repository")}:${str(r.inputs, "environment")}`,
          }
        : undefined,
  },
  {
    type: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    entries: (ids) => keys(ids.github?.branchPolicies, "github", "branchPolicies"),
    match: (r, ids) => {
      const pattern = str(r.inputs, "branchPattern");
      const id = ids.github?.branchPolicies[pattern];
      return id === undefined
        ? undefined
        : {
            path: ["github", "branchPolicies", pattern],
            id: `${str(r.inputs, "repository")}:${str(r.inputs, "environment")}:${id}`,
          };
    },
  },
  {
    type: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
    entries: (ids) => items(ids.github?.environmentSecrets, "github", "environmentSecrets"),
    match: (r, ids) => {
      const i = ids.github?.environmentSecrets.indexOf(str(r.inputs, "secretName")) ?? -1;
      return i < 0
        ? undefined
        : {
            path: ["github", "environmentSecrets", i],
            id: `${str(r.inputs, "repository")}:${str(r.inputs, "environment")}:${str(r.inputs, "secretName")}`,
          };
    },
  },
  {
    type: "github:index/repositoryRuleset:RepositoryRuleset",
    entries: (ids) => keys(ids.github?.rulesets, "github", "rulesets"),
    match: (r, ids) => {
      const name = str(r.inputs, "name");
      const id = ids.github?.rulesets[name];
      return id === undefined
        ? undefined
        : { path: ["github", "rulesets", name], id: `${str(r.inputs, "repository")}:${id}` };
    },
  },
  {
    type: "github:index/repositoryWebhook:RepositoryWebhook",
    entries: (ids) => (ids.github?.webhook !== undefined ? [["github", "webhook"]] : []),
    match: (r, ids) =>
      ids.github?.webhook !== undefined
        ? { path: ["github", "webhook"], id: `${str(r.inputs, "repository")}/${ids.github.webhook}` }
        : undefined,
  },
  {
    type: "postgresql:index/extension:Extension",
    entries: (ids) => items(ids.postgres?.extensions, "postgres", "extensions"),
    match: (r, ids) => {
      const i = ids.postgres?.extensions.indexOf(str(r.inputs, "name")) ?? -1;
      return i < 0
        ? undefined
        : {
            path: ["postgres", "extensions", i],
            id: `${ids.postgres!.database}.${ids.postgres!.extensions[i]}`,
          };
    },
  },
  {
    type: "postgresql:index/role:Role",
    entries: (ids) => items(ids.postgres?.roles, "postgres", "roles"),
    match: (r, ids) => {
      const i = ids.postgres?.roles.indexOf(str(r.inputs, "name")) ?? -1;
      return i < 0 ? undefined : { path: ["postgres", "roles", i], id: ids.postgres!.roles[i]! };
    },
  },
];

/** The app a resource belongs to: the `launchpad:index:App` component among its ancestors. */
export function appOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string | undefined {
  for (let r: RecordedResource | undefined = resource; r; r = byUrn.get(r.parent)) {
    if (r.type === "launchpad:index:App") return r.name;
  }
  return undefined;
}

/**
 * Every declared resource the ids file adopts, and every ids-file entry that adopts nothing (a
 * resource the stack does not declare: a mistake to report, never to skip silently).
 */
export function matchImports(
  resources: RecordedResource[],
  ids: IdsFile,
): { matches: ImportMatch[]; unmatched: (string | number)[][] } {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const matches: ImportMatch[] = [];
  const used = new Set<string>();
  for (const r of resources) {
    const rule = IMPORT_RULES.find((x) => x.type === r.type);
    const app = rule && appOf(r, byUrn);
    const appIds = app === undefined ? undefined : ids.apps[app];
    if (!rule || !appIds) continue;
    const found = rule.match(r, appIds, ids.vercel.team);
    if (!found) continue;
    const path = ["apps", app!, ...found.path];
    used.add(JSON.stringify(path));
    matches.push({ resource: r, id: found.id, path });
  }
  const unmatched: (string | number)[][] = [];
  for (const [app, appIds] of Object.entries(ids.apps)) {
    for (const rule of IMPORT_RULES) {
      for (const entry of rule.entries(appIds)) {
        const path = ["apps", app, ...entry];
        if (!used.has(JSON.stringify(path))) unmatched.push(path);
      }
    }
  }
  return { matches, unmatched };
}
