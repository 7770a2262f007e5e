/**
 * A local Supabase Storage: an HTTP server on 127.0.0.1 serving the spec's paths under
 * `/storage/v1`, checking the service key, validating JSON bodies against the spec's schemas,
 * enforcing bucket limits, and injecting faults (429, 5xx, a connection cut mid-upload). It backs
 * `launchpad rehearse`'s backup drill and the tests of the Storage client.
 */

import * as fs from "fs";
import type * as http from "http";
import { pipeline } from "stream/promises";
import { takeFailure } from "../kit/faults";
import { listen, readJson } from "../kit/http";
import type { InjectedFailure } from "./faults";
import { loadSpec, matchOperation, specOperations, type SpecOperation } from "./spec";
import { FakeStore, type FakeObject } from "./store";
import { validate } from "./validate";

/** Where Supabase serves Storage under a project URL. */
export const STORAGE_ROOT = "/storage/v1";

export interface RecordedRequest {
  readonly method: string;
  /** Path under the Storage root. */
  readonly path: string;
  readonly template?: string;
  readonly status: number;
  /** The JSON body answered, for checking against the spec. */
  readonly response?: unknown;
}

export interface FakeStorage {
  /** Stands for the project URL: Storage answers under `${url}/storage/v1`. */
  readonly url: string;
  readonly serviceKey: string;
  readonly store: FakeStore;
  readonly failures: InjectedFailure[];
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeStorageOptions {
  readonly serviceKey: string;
  /** The fake's clock (object timestamps). */
  readonly now?: () => Date;
}

/** The operations the fake serves; the spec's others answer 501. */
const IMPLEMENTED = new Set([
  "POST /bucket/",
  "GET /bucket/",
  "GET /bucket/{bucketId}",
  "POST /object/{bucketName}/{*}",
  "PUT /object/{bucketName}/{*}",
  "GET /object/{bucketName}/{*}",
  "GET /object/authenticated/{bucketName}/{*}",
  "DELETE /object/{bucketName}/{*}",
  "DELETE /object/{bucketName}",
  "POST /object/list/{bucketName}",
]);

interface Reply {
  status: number;
  json?: unknown;
  /** An object body to stream instead of JSON. */
  object?: FakeObject;
  headers?: Record<string, string>;
}

function failure(status: number, error: string, message: string): Reply {
  return { status, json: { statusCode: String(status), error, message } };
}

/** Listing as Storage does: the entries one level under the prefix, folders with a null id. */
function listEntries(objects: Map<string, FakeObject>, body: Record<string, unknown>): unknown[] {
  const prefix = String(body.prefix ?? "").replace(/^\/+|\/+$/g, "");
  const base = prefix === "" ? "" : `${prefix}/`;
  const search = typeof body.search === "string" ? body.search : "";
  const seen = new Map<string, unknown>();
  for (const object of objects.values()) {
    if (!object.name.startsWith(base)) continue;
    const rest = object.name.slice(base.length);
    const [head, ...tail] = rest.split("/");
    if (!head!.startsWith(search)) continue;
    if (tail.length > 0) {
      seen.set(head!, {
        name: head,
        id: null,
        updated_at: null,
        created_at: null,
        last_accessed_at: null,
        metadata: null,
      });
    } else {
      seen.set(head!, {
        name: head,
        id: object.id,
        updated_at: object.updated_at,
        created_at: object.created_at,
        last_accessed_at: object.updated_at,
        metadata: { size: object.size, mimetype: object.contentType },
      });
    }
  }
  const sortBy = (body.sortBy ?? { column: "name", order: "asc" }) as { column: string; order?: string };
  const key = (e: unknown) => String((e as Record<string, unknown>)[sortBy.column] ?? "");
  const sorted = [...seen.values()].sort((a, b) => key(a).localeCompare(key(b)));
  if (sortBy.order === "desc") sorted.reverse();
  const offset = Number(body.offset ?? 0);
  const limit = Number(body.limit ?? 100);
  return sorted.slice(offset, offset + limit);
}

export async function startFakeStorage(options: FakeStorageOptions): Promise<FakeStorage> {
  const doc = loadSpec();
  const ops = specOperations(doc);
  const store = new FakeStore(options.now ?? (() => new Date()));
  const failures: InjectedFailure[] = [];
  const requests: RecordedRequest[] = [];

  async function upload(
    req: http.IncomingMessage,
    op: SpecOperation,
    params: Record<string, string>,
    cutAfterBytes: number | undefined,
  ): Promise<Reply | "cut"> {
    const bucket = store.buckets.get(params.bucketName!);
    const name = params["*"]!;
    if (!bucket) return failure(404, "Bucket not found", "Bucket not found");
    const contentType = (req.headers["content-type"] ?? "application/octet-stream").split(";")[0]!.trim();
    if (
      bucket.allowed_mime_types &&
      bucket.allowed_mime_types.length > 0 &&
      !bucket.allowed_mime_types.includes(contentType)
    ) {
      return failure(415, "invalid_mime_type", `mime type ${contentType} is not supported`);
    }
    const exists = store.objects.get(bucket.id)!.has(name);
    const upsert = req.headers["x-upsert"] === "true";
    if (op.method === "POST" && exists && !upsert)
      return failure(409, "Duplicate", "The resource already exists");
    if (op.method === "PUT" && !exists) return failure(404, "not_found", "Object not found");
    const part = store.partFile();
    let received = 0;
    let cut = false;
    const out = fs.createWriteStream(part);
    try {
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            if (cutAfterBytes !== undefined && received > cutAfterBytes) {
              cut = true;
              req.socket.destroy();
              return;
            }
            yield chunk;
          }
        },
        out,
      );
    } catch {
      cut = true;
    }
    if (cut) {
      fs.rmSync(part, { force: true });
      return "cut";
    }
    if (bucket.file_size_limit !== null && received > bucket.file_size_limit) {
      fs.rmSync(part, { force: true });
      return failure(413, "Payload too large", "The object exceeded the maximum allowed size");
    }
    const object = store.commit(bucket.id, name, part, contentType);
    return { status: 200, json: { Key: `${bucket.id}/${name}`, Id: object.id } };
  }

  async function handle(
    req: http.IncomingMessage,
    op: SpecOperation,
    params: Record<string, string>,
    cutAfterBytes: number | undefined,
  ): Promise<Reply | "cut"> {
    const key = op.operationId; // the spec names none: `METHOD template`
    if (!IMPLEMENTED.has(key)) {
      req.resume();
      return failure(501, "not_implemented", `the local Storage does not implement ${key}`);
    }
    if (key === "POST /object/{bucketName}/{*}" || key === "PUT /object/{bucketName}/{*}") {
      return upload(req, op, params, cutAfterBytes);
    }
    const { json, invalid } = await readJson(req);
    if (invalid) return failure(400, "invalid_json", "Body is not valid JSON");
    if (op.bodySchema) {
      if (json === undefined && op.bodyRequired) return failure(400, "invalid_request", "body is required");
      const problems = json === undefined ? [] : validate(doc, op.bodySchema, json);
      if (problems.length > 0) return failure(400, "invalid_request", problems.join("; "));
    }
    const body = (json ?? {}) as Record<string, unknown>;
    const bucketId = params.bucketName ?? params.bucketId;
    const bucket = bucketId === undefined ? undefined : store.buckets.get(bucketId);
    switch (key) {
      case "POST /bucket/": {
        const id = String(body.id ?? body.name);
        if (store.buckets.has(id)) return failure(409, "Duplicate", "The resource already exists");
        store.addBucket({
          ...(body as { name: string }),
          id,
          file_size_limit: body.file_size_limit as number | null,
        });
        return { status: 200, json: { name: id } };
      }
      case "GET /bucket/":
        return { status: 200, json: [...store.buckets.values()] };
      case "GET /bucket/{bucketId}":
        return bucket ? { status: 200, json: bucket } : failure(404, "Bucket not found", "Bucket not found");
    }
    if (!bucket) return failure(404, "Bucket not found", "Bucket not found");
    const objects = store.objects.get(bucket.id)!;
    switch (key) {
      case "GET /object/{bucketName}/{*}":
      case "GET /object/authenticated/{bucketName}/{*}": {
        const object = objects.get(params["*"]!);
        return object ? { status: 200, object } : failure(404, "not_found", "Object not found");
      }
      case "DELETE /object/{bucketName}/{*}":
        return store.remove(bucket.id, params["*"]!)
          ? { status: 200, json: { message: "Successfully deleted" } }
          : failure(404, "not_found", "Object not found");
      case "DELETE /object/{bucketName}": {
        const removed = (body.prefixes as string[])
          .map((name) => store.remove(bucket.id, name))
          .filter((o): o is FakeObject => o !== undefined);
        return {
          status: 200,
          json: removed.map((o) => ({
            name: o.name,
            bucket_id: bucket.id,
            id: o.id,
            updated_at: o.updated_at,
            created_at: o.created_at,
            last_accessed_at: o.updated_at,
            metadata: { size: o.size },
          })),
        };
      }
      case "POST /object/list/{bucketName}":
        return { status: 200, json: listEntries(objects, body) };
    }
    return failure(501, "not_implemented", `the local Storage does not implement ${key}`);
  }

  function authProblem(req: http.IncomingMessage): Reply | undefined {
    // The API gateway wants the key as `apikey`; Storage itself reads the bearer token.
    if (req.headers.apikey !== options.serviceKey)
      return { status: 401, json: { message: "Invalid API key" } };
    const bearer = req.headers.authorization;
    if (!bearer) return failure(400, "Error", "headers must have required property 'authorization'");
    if (bearer !== `Bearer ${options.serviceKey}`) return failure(403, "Unauthorized", "invalid signature");
    return undefined;
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const path = url.pathname.startsWith(STORAGE_ROOT) ? url.pathname.slice(STORAGE_ROOT.length) : "";
    const send = (reply: Reply, template?: string) => {
      requests.push({ method, path, template, status: reply.status, response: reply.json });
      if (reply.object) {
        res.writeHead(reply.status, {
          "content-type": reply.object.contentType,
          "content-length": reply.object.size,
          ...reply.headers,
        });
        fs.createReadStream(reply.object.file).pipe(res);
        return;
      }
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.json === undefined ? "" : JSON.stringify(reply.json));
    };
    try {
      const matched = path === "" ? undefined : matchOperation(ops, method, path);
      if (!matched) {
        req.resume();
        return send(failure(404, "not_found", `Route ${method}:${url.pathname} not found`));
      }
      const auth = authProblem(req);
      if (auth) {
        req.resume();
        return send(auth, matched.op.template);
      }
      const injected = takeFailure(failures, method, path);
      if (injected?.status !== undefined) {
        req.resume();
        const headers =
          injected.retryAfter !== undefined ? { "retry-after": injected.retryAfter } : undefined;
        return send(
          {
            ...failure(
              injected.status,
              injected.message ?? "injected",
              injected.message ?? `injected HTTP ${injected.status}`,
            ),
            headers,
          },
          matched.op.template,
        );
      }
      const reply = await handle(req, matched.op, matched.params, injected?.cutAfterBytes);
      if (reply === "cut") {
        requests.push({ method, path, template: matched.op.template, status: 0 });
        res.destroy();
        return;
      }
      send(reply, matched.op.template);
    } catch (error) {
      if (!res.headersSent) send(failure(500, "internal", (error as Error).message));
      else res.destroy();
    }
  }

  const server = await listen(serve, (message) => failure(500, "internal", message).json);
  return {
    url: server.url,
    serviceKey: options.serviceKey,
    store,
    failures,
    requests,
    close: async () => {
      await server.close();
      store.close();
    },
  };
}
