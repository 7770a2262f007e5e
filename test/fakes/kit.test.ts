/** The fake kit on its own: routing by a spec, fault matching, and the token-guarded request loop. */
import { afterEach, describe, expect, it } from "vitest";
import { type ApiFailure, type ApiReply, startApi } from "../../tools/fakes/kit/api-server";
import { takeFailure } from "../../tools/fakes/kit/faults";
import { matchOperation, type OpenApiDoc, responseSchema, specOperations } from "../../tools/fakes/kit/spec";

const DOC: OpenApiDoc = {
  paths: {
    "/things/{id}/{*}": { get: {} },
    "/things/{id}": { get: { operationId: "getThing" }, put: { operationId: "putThing" } },
    "/things/list": {
      post: {
        operationId: "listThings",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
        responses: { "200": { content: { "application/json": { schema: { type: "array" } } } } },
      },
    },
    "/a.b/": { get: { operationId: "dotted" }, parameters: {} as never },
  },
  components: { schemas: {} },
};

describe("spec routing", () => {
  it("tries literal paths first, then one-segment parameters, then the rest-of-path ones", () => {
    const ops = specOperations(DOC);
    expect(matchOperation(ops, "POST", "/things/list")?.op.operationId).toBe("listThings");
    expect(matchOperation(ops, "GET", "/things/a%20b")).toMatchObject({
      op: { operationId: "getThing" },
      params: { id: "a b" },
    });
    expect(matchOperation(ops, "GET", "/things/x/deep/er")).toMatchObject({
      op: { operationId: "GET /things/{id}/{*}" },
      params: { id: "x", "*": "deep/er" },
    });
    expect(matchOperation(ops, "DELETE", "/things/x")).toBeUndefined();
    // Keys of a path item that are not methods are not operations; a dot is a dot.
    expect(ops.map((o) => o.method)).not.toContain("PARAMETERS");
    expect(matchOperation(ops, "GET", "/aXb/")).toBeUndefined();
  });

  it("matches a trailing slash either way only when asked", () => {
    expect(matchOperation(specOperations(DOC), "GET", "/a.b")).toBeUndefined();
    const lenient = specOperations(DOC, { trailingSlash: true });
    expect(matchOperation(lenient, "GET", "/a.b")?.op.operationId).toBe("dotted");
    expect(matchOperation(lenient, "GET", "/things/x/")?.op.operationId).toBe("getThing");
  });

  it("reads the body and response schemas of an operation", () => {
    const list = specOperations(DOC).find((o) => o.operationId === "listThings")!;
    expect(list).toMatchObject({ bodyRequired: true, bodySchema: { type: "object" } });
    expect(responseSchema(list, 200)).toEqual({ type: "array" });
    expect(responseSchema(list, 404)).toBeUndefined();
    const withRange = {
      ...list,
      op: { responses: { "4XX": { content: { "application/json": { schema: 1 } } } } },
    };
    expect(responseSchema(withRange, 409)).toBe(1);
  });
});

describe("takeFailure", () => {
  it("takes the first match by method and path, as many times as it says", () => {
    const failures: ApiFailure[] = [
      { method: "PUT", status: 500 },
      { path: /^\/things\//, status: 429, times: 2 },
    ];
    expect(takeFailure(failures, "GET", "/other")).toBeUndefined();
    expect(takeFailure(failures, "GET", "/things/1")?.status).toBe(429);
    expect(takeFailure(failures, "GET", "/things/1")?.status).toBe(429);
    expect(takeFailure(failures, "GET", "/things/1")).toBeUndefined();
    expect(takeFailure(failures, "PUT", "/things/1")?.status).toBe(500);
    expect(failures).toEqual([]);
  });
});

describe("the API request loop", () => {
  const error = (status: number, message: string): ApiReply => ({ status, body: { error: message } });
  const things = new Map<string, unknown>();
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    things.clear();
  });

  async function start(answer?: () => ApiReply) {
    const failures: ApiFailure[] = [];
    const requests: Array<{ method: string; status: number }> = [];
    const api = await startApi(
      {
        token: "t0ken",
        ops: specOperations(DOC),
        failures,
        error,
        unauthorized: "who are you",
        record: ({ method }) => (requests.push({ method, status: 0 }), requests.at(-1)!),
        implements: (id) => id === "getThing" || id === "putThing",
        answer:
          answer ??
          ((request, { op, params }) => {
            if (op.operationId === "putThing") things.set(params.id!, request.json);
            return { status: 200, body: things.get(params.id!) ?? null };
          }),
        crashBody: (message) => ({ error: message }),
      },
      { store: things, faults: failures, requests },
    );
    close = api.close;
    const call = async (method: string, path: string, body?: string, token = "t0ken") => {
      const res = await fetch(api.url + path, {
        method,
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: (await res.text()) || undefined,
        retryAfter: res.headers.get("retry-after"),
      };
    };
    return { api, call };
  }

  it("answers 401 to a wrong token, 404 off the spec, 501 where unimplemented, 400 to a body that is not JSON", async () => {
    const { api, call } = await start();
    expect(await call("GET", "/things/1", undefined, "nope")).toMatchObject({
      status: 401,
      body: '{"error":"who are you"}',
    });
    expect((await call("GET", "/nowhere")).status).toBe(404);
    expect(await call("POST", "/things/list", "{}")).toMatchObject({
      status: 501,
      body: '{"error":"listThings is not implemented by the fake"}',
    });
    expect(await call("PUT", "/things/1", "{oops")).toMatchObject({ status: 400 });
    expect(api.requests.map((r) => r.status)).toEqual([401, 404, 501, 400]);
    expect(api.mutations()).toHaveLength(2);
  });

  it("fails before the call, or after it (the change is made, the answer lost), or drops the connection", async () => {
    const { api, call } = await start();
    api.faults.push({ method: "PUT", status: 503, retryAfter: "1" });
    expect(await call("PUT", "/things/1", '"a"')).toMatchObject({
      status: 503,
      body: '{"error":"upstream unavailable"}',
      retryAfter: "1",
    });
    expect(things.has("1")).toBe(false);
    api.faults.push({ method: "PUT", status: 429, afterApply: true });
    expect(await call("PUT", "/things/1", '"b"')).toMatchObject({
      status: 429,
      body: '{"error":"rate limited"}',
    });
    expect(things.get("1")).toBe("b");
    api.faults.push({ status: "drop" });
    await expect(call("GET", "/things/1")).rejects.toThrow();
    expect(api.requests.at(-1)!.status).toBe(-1);
    expect(await call("GET", "/things/1")).toMatchObject({ status: 200, body: '"b"' });
  });

  it("answers 500 in the API's shape when the fake itself fails", async () => {
    const { call } = await start(() => {
      throw new Error("boom");
    });
    expect(await call("GET", "/things/1")).toMatchObject({
      status: 500,
      body: '{"error":"fake failure: boom"}',
    });
  });
});
