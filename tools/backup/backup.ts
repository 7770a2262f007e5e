/**
 * `launchpad backup`: the app's declared tables (or its schemas' tables, listed as it starts) exported in one snapshot, compressed and hashed
 * into a temporary file, uploaded to the app's private bucket with its manifest, and recorded in
 * backup_metadata. A backup is either whole (object, then manifest, then the row marked succeeded)
 * or recorded as failed with whatever it had uploaded removed: a restore never finds half of one.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StorageClient } from "../../infra/providers/supabase/storage";
import { exportToFile } from "./export";
import { FORMAT, manifestNameOf, objectNameOf, type BackupManifest, type TableSummary } from "./format";
import { recordFailure, recordStart, recordSuccess } from "./metadata";
import type { BackupSelection } from "./tables";

export interface BackupTarget {
  readonly stack: string;
  readonly app: string;
  readonly bucket: string;
  /** The tables, or the schemas whose tables are listed as the backup starts. */
  readonly tables: BackupSelection;
  /** The app database's URL (its backup_metadata is written there too). */
  readonly databaseUrl: string;
  readonly storage: StorageClient;
}

export interface BackupResult {
  readonly object: string;
  readonly manifest: BackupManifest;
  readonly metadataId: string;
  readonly durationMs: number;
}

/** A backup that failed and was recorded as failed; the message names the step. */
export class BackupFailed extends Error {
  override name = "BackupFailed";
}

export async function runBackup(target: BackupTarget, clock: () => Date): Promise<BackupResult> {
  const startedAt = clock();
  const object = objectNameOf(target.stack, target.app, startedAt);
  const manifestName = manifestNameOf(object);
  const header = { stack: target.stack, app: target.app };
  const metadataId = await recordStart(target.databaseUrl, startedAt, {
    ...header,
    bucket: target.bucket,
    object,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-backup-"));
  const file = path.join(dir, "backup.ndjson.gz");
  const uploaded: string[] = [];
  let step = "export";
  try {
    const exported = await exportToFile(target.databaseUrl, header, target.tables, file);
    step = "upload";
    uploaded.push(object);
    await target.storage.upload(target.bucket, object, {
      contentType: "application/gzip",
      open: () => fs.createReadStream(file),
    });
    const manifest: BackupManifest = {
      format: FORMAT,
      ...header,
      bucket: target.bucket,
      object,
      sha256: exported.sha256,
      sizeBytes: exported.sizeBytes,
      startedAt: startedAt.toISOString(),
      tables: exported.tables,
    };
    step = "manifest upload";
    uploaded.push(manifestName);
    const manifestBody = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
    await target.storage.upload(target.bucket, manifestName, {
      contentType: "application/json",
      open: () => manifestBody,
    });
    step = "record";
    const finishedAt = clock();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    await recordSuccess(target.databaseUrl, metadataId, { finishedAt, durationMs, ...exported });
    return { object, manifest, metadataId, durationMs };
  } catch (error) {
    const message = `${step} failed: ${error instanceof Error ? error.message : String(error)}`;
    // Whatever reached the bucket goes, manifest first, so no restore ever trusts a partial backup.
    await target.storage.remove(target.bucket, [...uploaded].reverse()).catch(() => undefined);
    const finishedAt = clock();
    await recordFailure(target.databaseUrl, metadataId, {
      finishedAt,
      error: message,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    }).catch(() => undefined);
    throw new BackupFailed(`backup of ${target.app} (${target.stack}) ${message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describeTables(tables: readonly TableSummary[]): string {
  return tables.map((t) => `${t.table} ${t.rows}`).join(", ");
}
