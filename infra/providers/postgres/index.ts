/**
 * Postgres dynamic providers: what no registry resource covers (RLS, Supabase storage buckets,
 * pg_cron jobs, platform tables, Supabase compatibility on plain Postgres).
 *
 * The provider objects are exported beside the resource classes so a rehearsal can drive
 * create / read / diff / update / delete against a real server without a Pulumi engine.
 */
export * from "./types";
export { DATABASE_URL_ENV, redact, watchChanges, withTransaction, operationError } from "./connection";
export type { ChangeWatch, ConnectionInputs, Session } from "./connection";
export { DYNAMIC_MODULE } from "./resource-options";
export type { DatabaseConnectionArgs } from "./resource-options";
export type { RlsObserved } from "./rls-state";
export * from "./table-rls";
export * from "./storage-bucket";
export * from "./cron-job";
export * from "./platform-tables";
export * from "./supabase-compat";
export * as sql from "./sql";
