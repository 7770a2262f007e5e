/**
 * The fake Supabase Management API: an HTTP server on 127.0.0.1 that routes by the spec's own
 * paths, checks each request (path parameters, body) and each of its own answers against the
 * spec with Ajv, records every request, and injects faults on demand.
 */

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { defaultFaults, type FakeFaults, takeFailure } from "./faults";
import { error, HANDLERS, type Reply } from "./handlers";
import { loadSpec, matchOperation, specOperations, SpecValidator } from "./spec";
import { FakeStore } from "./store";

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string;
  body: unknown;
  status: number;
  /** The Authorization header as received (tests check it is never anything but the token). */
  authorization?: string;
}

export interface FakeManagementApi {
  url: string;
  token: string;
  store: FakeStore;
  faults: FakeFaults;
  requests: RecordedRequest[];
  /** Requests other than GET: the calls that change something. */
  mutations(): RecordedRequest[];
  /** Answers of the fake that did not match the spec (must stay empty). */
  responseProblems: string[];
  close(): Promise<void>;
}

async function readJson(req: http.IncomingMessage): Promise<{ json?: unknown; invalid?: boolean }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  try {
    return { json: JSON.parse(raw) as unknown };
  } catch {
    return { invalid: true };
  }
}

export async function startFakeManagementApi(opts: { token?: string } = {}): Promise<FakeManagementApi> {
  const token = opts.token ?? `sbp_fake_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const ops = specOperations(loadSpec());
  const validator = new SpecValidator();
  const faults = defaultFaults();
  const store = new FakeStore();
  const requests: RecordedRequest[] = [];
  const responseProblems: string[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const { json, invalid } = await readJson(req);
    const match = matchOperation(ops, method, url.pathname);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      operationId: match?.op.operationId ?? "unknown",
      body: json,
      status: 0,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    store.tick();

    const failure = takeFailure(faults, method, url.pathname);
    const send = async (reply: Reply) => {
      record.status = reply.status;
      if (failure?.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
      if (res.destroyed) return;
      const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(payload ? { "Content-Type": "application/json" } : {}),
        ...reply.headers,
      });
      res.end(payload);
    };
    const fail = async () => {
      if (failure?.status === "drop") {
        record.status = -1;
        res.destroy();
        return;
      }
      const status = failure?.status ?? 500;
      await send({
        ...error(status, status === 429 ? "rate limited" : "upstream unavailable"),
        headers: failure?.retryAfter !== undefined ? { "Retry-After": failure.retryAfter } : undefined,
      });
    };

    if (req.headers.authorization !== `Bearer ${token}`) return send(error(401, "Unauthorized"));
    if (failure?.status && !failure.afterApply) return fail();

    let reply: Reply;
    if (!match) reply = error(404, `no route for ${method} ${url.pathname}`);
    else if (!HANDLERS[match.op.operationId])
      reply = error(501, `${match.op.operationId} is not implemented by the fake`);
    else if (invalid) reply = error(400, "request body is not valid JSON");
    else {
      const problems = [...validator.params(match.op, match.params), ...validator.body(match.op, json)];
      const project = store.projects.get(match.params.ref ?? "");
      if (problems.length) reply = error(400, `invalid request: ${problems.join("; ")}`);
      else if (!project) reply = error(404, "Project not found");
      else reply = HANDLERS[match.op.operationId]({ store, faults, project, body: json });
      const answerProblems = validator.response(match.op, reply.status, reply.body);
      if (answerProblems.length) {
        responseProblems.push(...answerProblems.map((p) => `${match.op.operationId}: ${p}`));
        reply = error(500, `the fake's answer breaks the spec: ${answerProblems.join("; ")}`);
      }
    }
    if (failure?.status) return fail();
    return send(reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: `fake failure: ${e instanceof Error ? e.message : String(e)}` }));
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
    responseProblems,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
