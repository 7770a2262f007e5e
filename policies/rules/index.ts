/**
 * The launchpad security checklist as CrossGuard policies, exported as data: the policy pack
 * (policies/index.ts), the offline audit and the tests all run exactly this list.
 */
import type { LaunchpadPolicy } from "./checklist";
import { alertChannels } from "./alert-channels";
import { monitorsCoverAlerts } from "./monitors-cover-alerts";
import { syntheticChecksAlertTheApp } from "./synthetic-checks-alert-the-app";
import { auditLogs } from "./audit-logs";
import { backendHealthChecks } from "./backend-health-checks";
import { backendRateLimit } from "./backend-rate-limit";
import { dataProtection } from "./data-protection";
import { databaseBackups } from "./database-backups";
import { deployGating } from "./deploy-gating";
import { frontendRateLimit } from "./frontend-rate-limit";
import { functionsNotPublic } from "./functions-not-public";
import { hstsOnDomains } from "./hsts-on-domains";
import { httpsEverywhere } from "./https-everywhere";
import { leastPrivilegeDbRoles } from "./least-privilege-db-roles";
import { membershipNotMemberWritable } from "./membership-not-member-writable";
import { privateBackupBuckets } from "./private-backup-buckets";
import { resourceBudgets } from "./resource-budgets";
import { rlsOnEveryTable } from "./rls-on-every-table";
import { rlsPoliciesStrict } from "./rls-policies-strict";
import { secretsEncryptedInConfig } from "./secrets-encrypted-in-config";
import { secretsInSecretsManager } from "./secrets-in-secrets-manager";
import { serviceKeyNeverInFrontend } from "./service-key-never-in-frontend";
import { strictCors } from "./strict-cors";
import { supabaseAuthRedirects } from "./supabase-auth-redirects";
import { supabasePitr } from "./supabase-pitr";
import { supabaseSslEnforcement } from "./supabase-ssl-enforcement";

export { CHECKLIST, checklistItem, isStackRule } from "./checklist";
export type { ChecklistItem, LaunchpadPolicy, RuleMetadata } from "./checklist";

/** In checklist order. */
export const policies: LaunchpadPolicy[] = [
  httpsEverywhere,
  hstsOnDomains,
  supabaseSslEnforcement,
  secretsInSecretsManager,
  secretsEncryptedInConfig,
  rlsPoliciesStrict,
  rlsOnEveryTable,
  membershipNotMemberWritable,
  functionsNotPublic,
  strictCors,
  supabaseAuthRedirects,
  frontendRateLimit,
  backendRateLimit,
  auditLogs,
  databaseBackups,
  supabasePitr,
  privateBackupBuckets,
  alertChannels,
  monitorsCoverAlerts,
  syntheticChecksAlertTheApp,
  backendHealthChecks,
  serviceKeyNeverInFrontend,
  leastPrivilegeDbRoles,
  deployGating,
  dataProtection,
  resourceBudgets,
];

/** A rule by its id. */
export function ruleById(id: string): LaunchpadPolicy | undefined {
  return policies.find((p) => p.name === id);
}
