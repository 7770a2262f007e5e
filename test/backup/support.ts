/**
 * Shared by the backup tests: the apps the catalog declares backups for, a database holding their
 * tables (as their migrations would create them) with generated rows, and a Storage client aimed
 * at the local fake.
 */
import { randomBytes } from "crypto";
import { Client } from "pg";
import { PROJECT_DIR, readLayeredConfig, validatePlatform, type AppSpec } from "../../infra/config";
import { createPlatformTableSql } from "../../infra/providers/postgres/sql/platform-tables";
import { StorageClient } from "../../infra/providers/supabase/storage";
import { createBackupTables } from "../../tools/backup/drill-tables";
import { generatedRowsSql } from "../../tools/backup/generated-rows";
import { backupTables, type BackupTable } from "../../tools/backup/tables";
import type { FakeStorage } from "../../tools/fakes/supabase-storage";

/** Every app of the stack with a backup declaration, from the catalog. */
export function backedUpApps(stack = "dev"): Array<{ name: string; spec: AppSpec; tables: BackupTable[] }> {
  const platform = validatePlatform(stack, readLayeredConfig(stack, PROJECT_DIR));
  return Object.entries(platform.apps)
    .filter(([, spec]) => spec.backup)
    .map(([name, spec]) => ({ name, spec, tables: backupTables(spec) }));
}

export async function sql<T = Record<string, unknown>>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh database on the server: its URL. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await sql(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The app's backed-up tables and backup_metadata, as its migrations and the stack create them. */
export async function createAppTables(url: string, spec: AppSpec): Promise<void> {
  await createBackupTables(url, spec);
  await sql(url, createPlatformTableSql("public", "backup_metadata"));
}

/** `count` generated rows in each of the app's declared tables (numbered from `from`). */
export async function fillAppTables(url: string, spec: AppSpec, count: number, from = 1): Promise<void> {
  for (const table of spec.backup!.tables ?? []) {
    await sql(url, generatedRowsSql(spec.database!, table, from, from + count - 1));
  }
}

/** A client of the fake that retries quickly (the backoff's length is not under test here). */
export function fakeClient(fake: FakeStorage, overrides: NodeJS.ProcessEnv = {}): StorageClient {
  return new StorageClient({
    projectUrl: fake.url,
    env: {
      SUPABASE_SERVICE_ROLE_KEY: fake.serviceKey,
      SUPABASE_STORAGE_RETRY_BASE_MS: "1",
      SUPABASE_STORAGE_RETRY_MAX_MS: "5",
      SUPABASE_STORAGE_MAX_RETRIES: "3",
      ...overrides,
    },
  });
}

/** A service key shaped like one (a JWT), unique per test run. */
export function serviceKey(): string {
  return `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString("base64url")}.${randomBytes(16).toString("hex")}`;
}
