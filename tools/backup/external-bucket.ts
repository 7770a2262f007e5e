/**
 * The bucket of an app whose database is not Supabase lives in another Supabase project's Storage
 * (backup.storageUrl), which `pulumi up` does not manage: the backup creates it private the first
 * time, and refuses a bucket that is public — it would hand every row of the app to anyone.
 */

import type { StorageClient } from "../../infra/providers/supabase/storage";

/** A backup bucket that exists but is public (nothing is uploaded to it). */
export class PublicBucketError extends Error {
  override name = "PublicBucketError";
}

export async function ensurePrivateBucket(
  storage: StorageClient,
  bucket: string,
): Promise<"created" | "found"> {
  const found = await storage.getBucket(bucket);
  if (!found) {
    await storage.createBucket(bucket, { public: false });
    return "created";
  }
  if (found.public) {
    throw new PublicBucketError(
      `bucket ${bucket} of the backup Storage is public: make it private before any backup is written to it`,
    );
  }
  return "found";
}
