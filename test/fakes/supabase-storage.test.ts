/**
 * The local Storage against its spec: every answer it gives matches the spec's response schema for
 * the operation and status; it refuses what Storage refuses (wrong key, a body the schema rejects,
 * a duplicate without upsert, a MIME type or size the bucket forbids, a path the spec lacks).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageClient } from "../../infra/providers/supabase/storage";
import {
  loadSpec,
  matchOperation,
  specOperations,
  startFakeStorage,
  STORAGE_ROOT,
  type FakeStorage,
} from "../../tools/fakes/supabase-storage";
import { fakeClient, serviceKey } from "../backup/support";
import { OpenApiValidator } from "./openapi-validator";

let fake: FakeStorage;
let client: StorageClient;

beforeAll(async () => {
  fake = await startFakeStorage({ serviceKey: serviceKey() });
  client = fakeClient(fake, { SUPABASE_STORAGE_MAX_RETRIES: "0" });
  await client.createBucket("backups", { public: false, fileSizeLimit: 64 });
  fake.store.buckets.get("backups")!.allowed_mime_types = ["application/gzip", "application/json"];
});
afterAll(async () => {
  await fake?.close();
});

async function raw(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${fake.url}${STORAGE_ROOT}${path}`, {
    method,
    headers: {
      apikey: fake.serviceKey,
      authorization: `Bearer ${fake.serviceKey}`,
      "content-type": "application/json",
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: res.status, body: (await res.text()) || undefined };
}

describe("answers as the spec says", () => {
  it("for every operation exercised, status and body match the spec's response schema", async () => {
    await client.upload("backups", "dev/a/one.gz", {
      contentType: "application/gzip",
      open: () => Buffer.from("abc"),
    });
    await client.upload("backups", "dev/a/one.gz", {
      contentType: "application/gzip",
      open: () => Buffer.from("abcd"),
    });
    await client.upload("backups", "dev/b/two.json", {
      contentType: "application/json",
      open: () => Buffer.from("{}"),
    });
    expect(await client.getBucket("backups")).toMatchObject({ id: "backups", public: false });
    expect(await client.getBucket("nope")).toBeUndefined();
    expect((await client.list("backups", "dev")).map((o) => [o.name, o.id === null])).toEqual([
      ["a", true],
      ["b", true],
    ]);
    expect((await client.list("backups", "dev/a")).map((o) => o.name)).toEqual(["one.gz"]);
    const stream = await client.download("backups", "dev/a/one.gz");
    const chunks: Buffer[] = [];
    for await (const c of stream!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("abcd");
    expect(await client.download("backups", "dev/a/missing.gz")).toBeUndefined();
    await client.remove("backups", ["dev/a/one.gz", "dev/a/never.gz"]);
    expect(fake.store.objects.get("backups")!.has("dev/a/one.gz")).toBe(false);

    const validator = new OpenApiValidator(loadSpec(), { id: "supabase-storage.json", closeObjects: false });
    const ops = specOperations();
    let checked = 0;
    for (const request of fake.requests) {
      const op = matchOperation(ops, request.method, request.path)!.op;
      if (request.status === 200 && request.response === undefined) continue; // an object body
      expect(
        validator.answer(op, request.status, request.response),
        `${request.method} ${request.path}`,
      ).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });
});

describe("refuses what Storage refuses", () => {
  it("a wrong or missing key", async () => {
    expect(
      (await raw("GET", "/bucket/backups", { headers: { authorization: `Bearer ${serviceKey()}` } })).status,
    ).toBe(403);
    expect((await raw("GET", "/bucket/backups", { headers: { apikey: "anon" } })).status).toBe(401);
  });

  it("a body its schema rejects, naming the property", async () => {
    const res = await raw("POST", "/object/list/backups", { body: JSON.stringify({ limit: 0 }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/required property 'prefix'/);
    expect(res.body).toMatch(/body.limit must be >= 1/);
    const bulk = await raw("DELETE", "/object/backups", { body: JSON.stringify({ prefixes: [] }) });
    expect(bulk.status).toBe(400);
  });

  it("a duplicate upload without x-upsert, a forbidden MIME type, an object over the size limit", async () => {
    await client.upload("backups", "dup.gz", {
      contentType: "application/gzip",
      open: () => Buffer.from("1"),
    });
    const headers = { "content-type": "application/gzip" };
    expect((await raw("POST", "/object/backups/dup.gz", { body: "2", headers })).status).toBe(409);
    expect(
      (await raw("POST", "/object/backups/x.txt", { body: "2", headers: { "content-type": "text/plain" } }))
        .status,
    ).toBe(415);
    expect((await raw("POST", "/object/backups/big.gz", { body: "x".repeat(65), headers })).status).toBe(413);
    expect(fake.store.objects.get("backups")!.has("big.gz")).toBe(false);
  });

  it("a path the spec lacks, and an operation the fake does not implement", async () => {
    expect((await raw("GET", "/nothing/here")).status).toBe(404);
    expect(
      (
        await raw("POST", "/object/move", {
          body: JSON.stringify({ bucketId: "backups", sourceKey: "a", destinationKey: "b" }),
        })
      ).status,
    ).toBe(501);
  });
});
