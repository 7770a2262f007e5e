/**
 * Type tokens of the resources the rules look at. Registry tokens are checked against the SDK classes
 * by the tests; dynamic tokens are built from the modules the providers register under.
 */
import { TYPE_MODULE as FLY_MODULE } from "../../../infra/providers/fly/provider-kit";
import { DYNAMIC_MODULE as POSTGRES_MODULE } from "../../../infra/providers/postgres/resource-options";
import { TYPE_MODULE as SUPABASE_MODULE } from "../../../infra/providers/supabase/provider-kit";

/** `pulumi.dynamic.Resource` registers `pulumi-nodejs:dynamic/<module>:<type>`. */
function dynamicType(module: string, type: string): string {
  return `pulumi-nodejs:dynamic/${module}:${type}`;
}

export const VERCEL = {
  project: "vercel:index/project:Project",
  envVar: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  envVars: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
  sharedEnvVar: "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable",
  domain: "vercel:index/projectDomain:ProjectDomain",
  route: "vercel:index/projectRoute:ProjectRoute",
  firewall: "vercel:index/firewallConfig:FirewallConfig",
  webhook: "vercel:index/webhook:Webhook",
  logDrain: "vercel:index/logDrain:LogDrain",
  traceDrain: "vercel:index/traceDrain:TraceDrain",
} as const;

export const GITHUB = {
  provider: "pulumi:providers:github",
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  deploymentPolicy:
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  environmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  repositorySecret: "github:index/actionsSecret:ActionsSecret",
  environmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
  repositoryVariable: "github:index/actionsVariable:ActionsVariable",
  ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
  webhook: "github:index/repositoryWebhook:RepositoryWebhook",
} as const;

export const FLY = {
  app: dynamicType(FLY_MODULE, "App"),
  secrets: dynamicType(FLY_MODULE, "Secrets"),
  machine: dynamicType(FLY_MODULE, "Machine"),
  volume: dynamicType(FLY_MODULE, "Volume"),
  ip: dynamicType(FLY_MODULE, "IpAssignment"),
  certificate: dynamicType(FLY_MODULE, "Certificate"),
} as const;

export const PG = {
  tableRls: dynamicType(POSTGRES_MODULE, "TableRowLevelSecurity"),
  bucket: dynamicType(POSTGRES_MODULE, "StorageBucket"),
  cronJob: dynamicType(POSTGRES_MODULE, "CronJob"),
  platformTables: dynamicType(POSTGRES_MODULE, "PlatformTables"),
  supabaseCompat: dynamicType(POSTGRES_MODULE, "SupabaseCompat"),
} as const;

/** Supabase project settings (Management API). */
export const SUPABASE = {
  authConfig: dynamicType(SUPABASE_MODULE, "AuthConfig"),
  sslEnforcement: dynamicType(SUPABASE_MODULE, "SslEnforcement"),
  networkRestrictions: dynamicType(SUPABASE_MODULE, "NetworkRestrictions"),
  postgrestConfig: dynamicType(SUPABASE_MODULE, "PostgrestConfig"),
  backups: dynamicType(SUPABASE_MODULE, "Backups"),
} as const;

/** `@pulumi/postgresql` resources and provider. */
export const POSTGRESQL = {
  provider: "pulumi:providers:postgresql",
  role: "postgresql:index/role:Role",
  grant: "postgresql:index/grant:Grant",
  defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges",
  database: "postgresql:index/database:Database",
  schema: "postgresql:index/schema:Schema",
} as const;

export const RANDOM = {
  password: "random:index/randomPassword:RandomPassword",
  bytes: "random:index/randomBytes:RandomBytes",
} as const;

/** `@pulumiverse/grafana` resources (tokens as the SDK registers them). */
export const GRAFANA = {
  monitoring: "launchpad:grafana:Monitoring",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
  check: "grafana:syntheticMonitoring/check:Check",
} as const;

/** The component each app is declared as; its logical name is the app's name in the catalog. */
export const APP_COMPONENT = "launchpad:index:App";

/** Every Postgres dynamic resource carries its connection string as `databaseUrl`. */
export const POSTGRES_DYNAMIC_TYPES: readonly string[] = Object.values(PG);
