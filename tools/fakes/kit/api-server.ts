/**
 * The request loop of a token-guarded JSON API fake (Fly Machines, Supabase Management): route by
 * the spec, record every request, check the bearer token, inject failures — an answer in place of
 * the call, or after it (a lost answer) — delays and dropped connections, then answer in JSON.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { type FailureMatch, takeFailure } from "./faults";
import { type Listening, listen, readJson } from "./http";
import { matchOperation, type RouteMatch, type SpecOperation } from "./spec";

export interface ApiFailure extends FailureMatch {
  /**
   * HTTP status to answer with, `"drop"` to close the connection without answering, or none to
   * answer normally (with `delayMs`: a slow response).
   */
  status?: number | "drop";
  /** Real delay before answering, in ms (beyond the client's timeout: a timeout). */
  delayMs?: number;
  /** Error text of the injected answer (default: a generic one per status). */
  message?: string;
  /** Retry-After header value, sent as is. */
  retryAfter?: string;
  /** Apply the request first, then fail the response: a lost answer, or a crash after the call. */
  afterApply?: boolean;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRequest<S> {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The spec's operation, when the path and method are one. */
  readonly match?: RouteMatch<S>;
  /** The parsed JSON body, if any. */
  readonly json?: unknown;
}

export interface ApiBehaviour<S> {
  /** The bearer token every request must carry. */
  readonly token: string;
  readonly ops: readonly SpecOperation<S>[];
  /** The injected failures, taken in order as requests match them. */
  readonly failures: ApiFailure[];
  /** An error answer in the API's own shape. */
  error(status: number, message: string): ApiReply;
  /** Message of the 401 for a missing or wrong token. */
  readonly unauthorized: string;
  /** Records a request (its `status` is set once answered, -1 when dropped), and lets time pass. */
  record(request: ApiRequest<S>): { status: number };
  /** Whether the fake implements an operation; the others answer 501. */
  implements(operationId: string): boolean;
  /** The answer to an implemented operation whose body is JSON (or absent). */
  answer(request: ApiRequest<S>, match: RouteMatch<S>): ApiReply;
  /** Real delay before every answer, in ms (a slow API). */
  latencyMs?(): number;
  /** The Date header: the fake's own clock, `null` for none at all; without it, Node's. */
  date?(): string | null;
  /** The body of a 500 when the fake itself fails. */
  crashBody(message: string): unknown;
}

/** What a started API fake hands its tests. */
export interface RunningApi<Store, Faults, Recorded extends { method: string }> {
  url: string;
  token: string;
  store: Store;
  faults: Faults;
  requests: Recorded[];
  /** Requests other than GET: the calls that change something. */
  mutations(): Recorded[];
  close(): Promise<void>;
}

/** Serves `api` and hands out the fake's parts beside the listener. */
export async function startApi<S, Store, Faults, Recorded extends { method: string }>(
  api: ApiBehaviour<S>,
  parts: { store: Store; faults: Faults; requests: Recorded[] },
): Promise<RunningApi<Store, Faults, Recorded>> {
  const server = await serveApi(api);
  return {
    url: server.url,
    token: api.token,
    ...parts,
    mutations: () => parts.requests.filter((r) => r.method !== "GET"),
    close: () => server.close(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function serveApi<S>(api: ApiBehaviour<S>): Promise<Listening> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const { json, invalid } = await readJson(req);
    const match = matchOperation(api.ops, method, url.pathname);
    const request: ApiRequest<S> = { method, url, headers: req.headers, match, json };
    const record = api.record(request);

    const failure = takeFailure(api.failures, method, url.pathname);
    const send = async (reply: ApiReply) => {
      record.status = reply.status;
      const delay = (api.latencyMs?.() ?? 0) + (failure?.delayMs ?? 0);
      if (delay > 0) await sleep(delay);
      if (res.destroyed) return;
      const date = api.date?.();
      res.sendDate = date !== null;
      const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(date ? { Date: date } : {}),
        ...(payload ? { "Content-Type": "application/json" } : {}),
        ...(reply.headers ?? {}),
      });
      res.end(payload);
    };
    const fail = async (status: number | "drop") => {
      if (status === "drop") {
        record.status = -1;
        res.destroy();
        return;
      }
      await send({
        ...api.error(status, failure?.message ?? (status === 429 ? "rate limited" : "upstream unavailable")),
        headers: failure?.retryAfter !== undefined ? { "Retry-After": failure.retryAfter } : undefined,
      });
    };

    if (req.headers.authorization !== `Bearer ${api.token}`) return send(api.error(401, api.unauthorized));
    if (failure?.status && !failure.afterApply) return fail(failure.status);

    let reply: ApiReply;
    if (!match) reply = api.error(404, `no route for ${method} ${url.pathname}`);
    else if (!api.implements(match.op.operationId))
      reply = api.error(501, `${match.op.operationId} is not implemented by the fake`);
    else if (invalid) reply = api.error(400, "request body is not valid JSON");
    else reply = api.answer(request, match);
    if (failure?.status) return fail(failure.status);
    return send(reply);
  }

  return listen(handle, (message) => api.crashBody(`fake failure: ${message}`));
}
