import type { PlatformSpec } from "../schema";
import { alertRules } from "./alerts";
import { backupRules } from "./backup";
import { bucketRules, jobNameRules, jobRules, tableRules } from "./database";
import { frontendSecretRules, wiredPublicEnvRules } from "./frontend";
import { hostnameRules } from "./hostnames";
import { envSecretRules } from "./secret-names";
import { flyAppNameRules, gpuRegionRules, serviceRules } from "./services";
import { supabaseRules } from "./supabase";
import type { RuleIssue } from "./types";

export { STATUS_COLUMN, WRITE_TIME_COLUMNS } from "./alerts";
export { MAX_SNAPSHOT_TABLE_LENGTH, PLATFORM_TABLE_TIMESTAMPS } from "./database";
export { isServiceRoleJwt } from "./frontend";
export { databaseUrlProblem, secretValueIssues, type SecretValueMap } from "./secret-values";
export type { RuleIssue } from "./types";

function environmentRules(platform: PlatformSpec, stack: string): RuleIssue[] {
  if (platform.environment.name === stack) return [];
  return [
    {
      path: ["environment", "name"],
      message: `expected "${stack}" (the stack this file configures), got "${platform.environment.name}"`,
    },
  ];
}

/** Every cross-field rule, over an already schema-valid platform. */
export function crossFieldIssues(platform: PlatformSpec, stack: string): RuleIssue[] {
  return [
    ...environmentRules(platform, stack),
    ...gpuRegionRules(platform),
    ...flyAppNameRules(platform),
    ...hostnameRules(platform),
    ...Object.entries(platform.apps).flatMap(([name, app]) => [
      ...tableRules(name, app),
      ...jobRules(name, app),
      ...bucketRules(name, app),
      ...backupRules(name, app),
      ...jobNameRules(name, app),
      ...serviceRules(name, app),
      ...envSecretRules(name, app),
      ...wiredPublicEnvRules(name, app),
      ...frontendSecretRules(name, app),
      ...alertRules(name, app),
      ...supabaseRules(name, app, platform.environment),
    ]),
  ];
}
