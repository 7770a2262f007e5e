/**
 * Inputs whose change makes a registry provider replace its resource rather than update it, as
 * each provider's own schema says at the pinned version (Terraform `ForceNew` / `RequiresReplace`,
 * carried over by the Pulumi bridge as replace-on-change). docs/providers.md, "What forces a
 * replacement", records where each list comes from. Top-level input names, as Pulumi passes them.
 */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
  "vercel:index/project:Project": ["teamId"],
  "vercel:index/projectDomain:ProjectDomain": ["domain", "projectId", "teamId"],
  "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": [
    "customEnvironmentIds",
    "key",
    "projectId",
    "sensitive",
    "teamId",
  ],
  "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables": ["projectId", "teamId"],
  "vercel:index/projectDeploymentRetention:ProjectDeploymentRetention": ["projectId", "teamId"],
  "vercel:index/firewallConfig:FirewallConfig": ["projectId", "teamId"],
  "vercel:index/projectRoute:ProjectRoute": ["position", "projectId", "teamId"],
  // `repository`: GitHub's diffRepository forces a new resource unless the repository id shows a
  // rename, which only the live API can tell; offline, a changed repository is a replacement.
  "github:index/repositoryWebhook:RepositoryWebhook": ["repository"],
  "github:index/repositoryEnvironment:RepositoryEnvironment": ["environment", "repository"],
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": [
    "environment",
    "repository",
  ],
  "github:index/repositoryRuleset:RepositoryRuleset": [],
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": [
    "environment",
    "repository",
    "secretName",
  ],
  "postgresql:index/role:Role": [],
  "postgresql:index/grant:Grant": [
    "columns",
    "database",
    "objectType",
    "objects",
    "role",
    "schema",
    "withGrantOption",
  ],
  "postgresql:index/defaultPrivileges:DefaultPrivileges": [
    "database",
    "objectType",
    "owner",
    "role",
    "schema",
    "withGrantOption",
  ],
  "postgresql:index/extension:Extension": ["database", "name"],
  "postgresql:index/schema:Schema": ["database"],
  "random:index/randomPassword:RandomPassword": [
    "keepers",
    "length",
    "lower",
    "minLower",
    "minNumeric",
    "minSpecial",
    "minUpper",
    "number",
    "numeric",
    "overrideSpecial",
    "special",
    "upper",
  ],
  "grafana:oss/folder:Folder": ["orgId", "uid"],
  "grafana:oss/dashboard:Dashboard": ["orgId"],
  "grafana:oss/dataSource:DataSource": ["orgId", "uid"],
  "grafana:alerting/contactPoint:ContactPoint": ["disableProvenance", "name", "orgId"],
  "grafana:alerting/ruleGroup:RuleGroup": ["folderUid", "name", "orgId"],
  "grafana:syntheticMonitoring/check:Check": [],
  // The Docker provider's own Diff reports updates only (a rebuild and push), never a replacement.
  "docker:index/image:Image": [],
};

/**
 * Inputs replaced together only: GitHub's deployment-policy diff forces a new policy when both
 * patterns change at once (one alone is an update).
 */
export const REPLACE_WHEN_ALL_CHANGE: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": [
    ["branchPattern", "tagPattern"],
  ],
};

/** The top-level inputs among `changed` that force this registry type to be replaced. */
export function registryReplacements(type: string, changed: ReadonlySet<string>): string[] {
  const single = (REPLACE_ON_CHANGE[type] ?? []).filter((input) => changed.has(input));
  const together = (REPLACE_WHEN_ALL_CHANGE[type] ?? [])
    .filter((group) => group.every((input) => changed.has(input)))
    .flat();
  return [...new Set([...single, ...together])].sort();
}
