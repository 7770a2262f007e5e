/** Fetching a backup from the bucket: its manifest, and its object into a local file, hashed as it streams. */

import * as fs from "fs";
import { pipeline } from "stream/promises";
import type { StorageClient } from "../../infra/providers/supabase/storage";
import { digestStream } from "./export";
import { FORMAT, manifestNameOf, type BackupManifest } from "./format";

/** A backup that must not be restored; nothing was written. */
export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function isManifest(value: unknown): value is BackupManifest {
  const m = value as Partial<BackupManifest> | null;
  return (
    !!m &&
    m.format === FORMAT &&
    typeof m.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(m.sha256) &&
    typeof m.sizeBytes === "number" &&
    typeof m.app === "string" &&
    Array.isArray(m.tables) &&
    m.tables.every(
      (t) => typeof t?.table === "string" && typeof t.rows === "number" && typeof t.sha256 === "string",
    )
  );
}

export async function fetchManifest(
  storage: StorageClient,
  bucket: string,
  object: string,
): Promise<BackupManifest> {
  const name = manifestNameOf(object);
  const stream = await storage.download(bucket, name);
  if (!stream) {
    throw new RestoreRefused(
      `${bucket}/${object}: no manifest (${name}); the backup never completed, or this is not a launchpad backup`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readAll(stream)).toString("utf8"));
  } catch {
    throw new RestoreRefused(`${bucket}/${name}: the manifest is not valid JSON`);
  }
  if (!isManifest(parsed)) throw new RestoreRefused(`${bucket}/${name}: not a ${FORMAT} manifest`);
  if (parsed.object !== object) {
    throw new RestoreRefused(`${bucket}/${name}: the manifest describes ${parsed.object}, not ${object}`);
  }
  return parsed;
}

/** Downloads the object into `file`; refuses it unless its size and SHA-256 are the manifest's. */
export async function fetchVerified(
  storage: StorageClient,
  bucket: string,
  manifest: BackupManifest,
  file: string,
  expectedChecksum?: string,
): Promise<void> {
  const stream = await storage.download(bucket, manifest.object);
  if (!stream) throw new RestoreRefused(`${bucket}/${manifest.object}: no such object`);
  const digest = digestStream();
  await pipeline(stream, digest, fs.createWriteStream(file));
  const { sha256, sizeBytes } = digest.digest();
  if (sizeBytes !== manifest.sizeBytes) {
    throw new RestoreRefused(
      `${bucket}/${manifest.object}: ${sizeBytes} bytes where the manifest says ${manifest.sizeBytes} (truncated or altered); nothing was written`,
    );
  }
  if (sha256 !== manifest.sha256) {
    throw new RestoreRefused(
      `${bucket}/${manifest.object}: SHA-256 ${sha256} where the manifest says ${manifest.sha256} (corrupted or altered); nothing was written`,
    );
  }
  if (expectedChecksum !== undefined && expectedChecksum.replace(/^sha256:/, "") !== sha256) {
    throw new RestoreRefused(
      `${bucket}/${manifest.object}: SHA-256 ${sha256} where --checksum says ${expectedChecksum}; nothing was written`,
    );
  }
}
