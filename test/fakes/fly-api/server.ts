/**
 * The fake Fly Machines API: an HTTP server on 127.0.0.1 that routes by the spec's own paths,
 * validates request bodies against the spec's schemas, and records every request.
 */

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { appHandlers } from "./apps";
import { defaultFaults, type FakeFaults, takeFailure } from "./faults";
import { error, type Handler, type Reply } from "./handler";
import { machineHandlers } from "./machines";
import { resourceHandlers } from "./resources";
import { loadSpec, matchOperation, specOperations } from "./spec";
import { FakeStore } from "./store";
import { SchemaValidator } from "./validate";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId: string;
  body: unknown;
  status: number;
}

export interface FakeFlyApi {
  url: string;
  token: string;
  store: FakeStore;
  faults: FakeFaults;
  requests: RecordedRequest[];
  /** Requests other than GET. */
  mutations(): RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeOptions {
  token?: string;
  orgs?: string[];
}

const HANDLERS: Record<string, Handler> = { ...appHandlers, ...machineHandlers, ...resourceHandlers };

async function readJson(
  req: http.IncomingMessage,
): Promise<{ raw: string; json?: unknown; invalid?: boolean }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return { raw };
  try {
    return { raw, json: JSON.parse(raw) as unknown };
  } catch {
    return { raw, invalid: true };
  }
}

export async function startFakeFlyApi(opts: FakeOptions = {}): Promise<FakeFlyApi> {
  const token = opts.token ?? `fo1_fake_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const doc = loadSpec();
  const ops = specOperations(doc);
  const validator = new SchemaValidator(doc);
  const faults = defaultFaults();
  const store = new FakeStore(faults, new Set(opts.orgs ?? ["personal", "launchpad"]));
  const requests: RecordedRequest[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const { json, invalid } = await readJson(req);
    const match = matchOperation(ops, method, url.pathname);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      operationId: match?.op.operationId ?? "unknown",
      body: json,
      status: 0,
    };
    requests.push(record);
    store.advance(1);

    const failure = takeFailure(faults, method, url.pathname);
    const send = async (reply: Reply) => {
      record.status = reply.status;
      const delay = faults.latencyMs + (failure?.delayMs ?? 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
      res.sendDate = !faults.omitDate;
      const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        // The fake's own clock, as the live API sends its own: callers time health grace periods on it.
        ...(faults.omitDate ? {} : { Date: new Date(store.unix() * 1000).toUTCString() }),
        ...(payload ? { "Content-Type": "application/json" } : {}),
        ...(reply.headers ?? {}),
      });
      res.end(payload);
    };

    if (req.headers.authorization !== `Bearer ${token}`) return send(error(401, "unauthorized"));
    const fail = async () => {
      if (!failure?.status) return;
      if (failure.status === "drop") {
        record.status = -1;
        res.destroy();
        return;
      }
      await send({
        ...error(
          failure.status,
          failure.message ?? (failure.status === 429 ? "rate limited" : "upstream unavailable"),
        ),
        headers: failure.retryAfter !== undefined ? { "Retry-After": failure.retryAfter } : undefined,
      });
    };
    if (failure?.status && !failure.afterApply) return fail();

    let reply: Reply;
    if (!match) reply = error(404, `no route for ${method} ${url.pathname}`);
    else if (!HANDLERS[match.op.operationId])
      reply = error(501, `${match.op.operationId} is not implemented by the fake`);
    else if (invalid) reply = error(400, "request body is not valid JSON");
    else if (match.op.bodyRequired && json === undefined) reply = error(400, "request body is required");
    else {
      const problems =
        json !== undefined && match.op.bodySchema ? validator.validate(match.op.bodySchema, json) : [];
      const appName = match.params.app_name;
      const app = appName !== undefined ? store.apps.get(appName) : undefined;
      if (problems.length) reply = error(400, `invalid request body: ${problems.join("; ")}`);
      else if (appName !== undefined && !app && match.op.operationId !== "Apps_create") {
        reply = error(404, "app not found");
      } else {
        reply = HANDLERS[match.op.operationId]({
          store,
          params: match.params,
          query: url.searchParams,
          body: json ?? {},
          headers: req.headers,
          app: app as NonNullable<typeof app>,
        });
      }
    }
    if (failure?.status) return fail();
    return send(reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: `fake failure: ${e instanceof Error ? e.message : String(e)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    store,
    faults,
    requests,
    mutations: () => requests.filter((r) => r.method !== "GET"),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
