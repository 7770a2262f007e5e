/**
 * `launchpad backup --cleanup`: backups older than the environment's backupRetentionDays go, their
 * objects (data and manifest) first and then their backup_metadata rows — except the newest
 * successful backup, kept whatever its age, so a stack that stopped backing up still has one.
 * Objects under the app's prefix that no row names (left by a crash) follow the same rule.
 */

import type { StorageClient } from "../../infra/providers/supabase/storage";
import { backupPrefix, manifestNameOf, stampOfName } from "./format";
import { deleteRows, exportRows } from "./metadata";

export interface CleanupTarget {
  readonly stack: string;
  readonly app: string;
  readonly bucket: string;
  readonly databaseUrl: string;
  readonly storage: StorageClient;
  readonly retentionDays: number;
}

export interface CleanupResult {
  readonly deletedObjects: string[];
  readonly deletedRows: number;
  /** The newest successful backup, kept. */
  readonly kept?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function runCleanup(target: CleanupTarget, now: Date): Promise<CleanupResult> {
  const cutoff = now.getTime() - target.retentionDays * DAY_MS;
  const rows = await exportRows(target.databaseUrl);
  const newest = rows.filter((r) => r.status === "succeeded").at(-1);
  const keptObject = newest?.location?.slice(target.bucket.length + 1);
  const keep = new Set(keptObject ? [keptObject, manifestNameOf(keptObject)] : []);

  const prefix = backupPrefix(target.stack, target.app);
  const listed = (await target.storage.list(target.bucket, prefix)).map((o) => `${prefix}/${o.name}`);
  const objects = listed.filter((name) => {
    const stamp = stampOfName(name);
    return stamp !== undefined && stamp.getTime() < cutoff && !keep.has(name);
  });
  const old = rows.filter((r) => r.startedAt.getTime() < cutoff && r !== newest);
  // Objects of old rows that the listing missed (another prefix), so no row is removed before its object.
  for (const row of old) {
    const name = row.location?.startsWith(`${target.bucket}/`)
      ? row.location.slice(target.bucket.length + 1)
      : undefined;
    if (name && !keep.has(name)) objects.push(name, manifestNameOf(name));
  }
  const unique = [...new Set(objects)].sort();
  await target.storage.remove(target.bucket, unique);
  await deleteRows(
    target.databaseUrl,
    old.map((r) => r.id),
  );
  return {
    deletedObjects: unique.filter((n) => listed.includes(n)),
    deletedRows: old.length,
    ...(keptObject ? { kept: keptObject } : {}),
  };
}
