/**
 * A typed client of the Supabase Storage REST API (spec: supabase-storage-openapi.json, under
 * `<project>/storage/v1`), on the shared REST core. The service key is read from the environment
 * on every call and sent as both `Authorization: Bearer` and `apikey` (the API gateway wants the
 * latter); the core scrubs it from every error.
 */

import type { Readable } from "stream";
import { restRequest, type RestRequest } from "../../http/request";
import { storageApiError } from "./errors";
import { readServiceKey, readStorageSettings } from "./settings";

/** An object as the list operation returns it (`POST /object/list/{bucket}`). */
export interface StorageObject {
  /** Name relative to the listed prefix. */
  readonly name: string;
  readonly id?: string | null;
  readonly created_at?: string | null;
  readonly updated_at?: string | null;
  readonly metadata?: Record<string, unknown> | null;
}

export interface StorageBucket {
  readonly id: string;
  readonly name: string;
  readonly public?: boolean;
  readonly file_size_limit?: number | null;
  readonly allowed_mime_types?: string[] | null;
}

export interface StorageTarget {
  /** The Supabase project URL (`https://<ref>.supabase.co`); SUPABASE_STORAGE_BASE_URL overrides it. */
  readonly projectUrl?: string;
  /** Where settings and the key are read from; the process environment by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Each segment encoded, the slashes kept: `2026/12/07 x.gz` → `2026/12/07%20x.gz`. */
export function objectPath(bucket: string, name: string): string {
  const segments = name.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(`object name "${name}": empty, "." or ".." segments are refused`);
  }
  return `${encodeURIComponent(bucket)}/${segments.map(encodeURIComponent).join("/")}`;
}

export class StorageClient {
  constructor(private readonly target: StorageTarget = {}) {}

  private async call<T>(req: RestRequest) {
    const env = this.target.env ?? process.env;
    const key = readServiceKey(env);
    return restRequest<T>(
      {
        settings: readStorageSettings(env, this.target.projectUrl),
        token: key,
        headers: { apikey: key },
        error: (f) => storageApiError(f.status, f.resource, f.operation, f.text, f.code),
      },
      req,
    );
  }

  /** `GET /bucket/{id}`; undefined when it does not exist. */
  async getBucket(bucket: string): Promise<StorageBucket | undefined> {
    const res = await this.call<StorageBucket>({
      method: "GET",
      path: `/bucket/${encodeURIComponent(bucket)}`,
      resource: `bucket ${bucket}`,
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : res.body;
  }

  /** `POST /bucket/` (used by the drill against the local fake; `pulumi up` declares real buckets). */
  async createBucket(bucket: string, options: { public: boolean; fileSizeLimit?: number }): Promise<void> {
    await this.call({
      method: "POST",
      path: "/bucket/",
      body: { id: bucket, name: bucket, public: options.public, file_size_limit: options.fileSizeLimit },
      resource: `bucket ${bucket}`,
    });
  }

  /**
   * `POST /object/{bucket}/{name}` with the raw body, `x-upsert: true` so that a repeated attempt
   * replaces what a cut one may have left instead of failing on a duplicate: the call is then
   * idempotent and retried on 5xx and connection errors as well as 429. `open` makes the body anew
   * for each attempt (a stream is read once); a stream is sent as the connection takes it, so an
   * upload holds a few chunks of it at a time, whatever its size.
   */
  async upload(
    bucket: string,
    name: string,
    body: { contentType: string; open: () => Readable | Buffer },
  ): Promise<{ key: string }> {
    const res = await this.call<{ Key: string }>({
      method: "POST",
      path: `/object/${objectPath(bucket, name)}`,
      rawBody: {
        contentType: body.contentType,
        make: body.open,
      },
      headers: { "x-upsert": "true", "cache-control": "no-store" },
      idempotent: true,
      resource: `object ${bucket}/${name}`,
    });
    return { key: res.body?.Key ?? `${bucket}/${name}` };
  }

  /** `GET /object/{bucket}/{name}` as a stream; undefined when there is no such object. */
  async download(bucket: string, name: string): Promise<Readable | undefined> {
    const res = await this.call<never>({
      method: "GET",
      path: `/object/${objectPath(bucket, name)}`,
      resource: `object ${bucket}/${name}`,
      stream: true,
      notFoundOk: true,
    });
    return res.status === 404 ? undefined : res.stream;
  }

  /** `POST /object/list/{bucket}`: every object under a prefix, paged. */
  async list(bucket: string, prefix: string, pageSize = 100): Promise<StorageObject[]> {
    const all: StorageObject[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const res = await this.call<StorageObject[]>({
        method: "POST",
        path: `/object/list/${encodeURIComponent(bucket)}`,
        body: { prefix, limit: pageSize, offset, sortBy: { column: "name", order: "asc" } },
        // Listing changes nothing, so repeating it is harmless.
        idempotent: true,
        resource: `bucket ${bucket}`,
      });
      const page = res.body ?? [];
      all.push(...page);
      if (page.length < pageSize) return all;
    }
  }

  /** `DELETE /object/{bucket}` with `prefixes`: removes the named objects; missing ones are ignored. */
  async remove(bucket: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.call({
      method: "DELETE",
      path: `/object/${encodeURIComponent(bucket)}`,
      body: { prefixes: names },
      resource: `bucket ${bucket}`,
    });
  }
}
