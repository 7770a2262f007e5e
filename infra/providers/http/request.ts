/**
 * The one HTTP core of every REST client (Fly Machines, Supabase Management, Supabase Storage):
 * auth header, JSON or raw bodies, bounded retries with backoff, timeouts and error shaping.
 * Each API supplies its settings, token and how to turn an error body into an error.
 * Bodies held in memory go through fetch; streamed ones (a stream to send, a download) through
 * stream-transport.ts, which keeps no more of them in memory than the socket's buffers.
 */

import type { Readable } from "stream";
import { redact } from "./redact";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, sleep } from "./retry";
import type { RestSettings } from "./settings";
import { isStream, streamedExchange, textOf } from "./stream-transport";

/** A raw body: bytes or text in memory, or a stream read as it is sent. */
export type RawBody = string | Uint8Array | Readable;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface RestRequest {
  method: HttpMethod;
  /** Path under the base URL, starting with `/`; callers encode path segments. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  body?: unknown;
  /**
   * A raw body instead of JSON, made anew for each attempt (a stream cannot be sent twice, so a
   * retried stream is re-opened, e.g. a file read again); set `idempotent: false` when it cannot be
   * made again.
   */
  rawBody?: { contentType: string; make: () => RawBody };
  headers?: Record<string, string>;
  /** What is being managed, for error messages (`app mapquiz-prod`). */
  resource: string;
  /** Whether repeating the call is harmless; defaults to true for every method but POST and PATCH. */
  idempotent?: boolean;
  /** Return `{status: 404}` instead of throwing (reads that detect deletion, deletes). */
  notFoundOk?: boolean;
  /**
   * Extra time allowed on top of the configured timeout (server-side waits). The timeout bounds a
   * whole call, except a streamed one, where it bounds silence: a large transfer may take longer.
   */
  extraTimeoutMs?: number;
  /** Hand back the response body as a stream instead of parsing it (downloads). */
  stream?: boolean;
}

export interface RestResponse<T> {
  status: number;
  body: T | undefined;
  /** The body as a stream, when the request asked for one and the call succeeded. */
  stream?: Readable;
  /** The API's clock when it answered (its `Date` header), in ms since the epoch; absent if it sent none. */
  serverTime?: number;
  headers: Headers;
}

/** What an API brings to the core. */
export interface RestApi {
  settings: RestSettings;
  /** Sent as `Authorization: Bearer …` and scrubbed from every error text. */
  token: string;
  /** Extra headers on every call (e.g. Supabase Storage's `apikey`). */
  headers?: Record<string, string>;
  /** Builds the error thrown for a failed call; `status` 0 means no response arrived. */
  error: (failure: RestFailure) => Error;
}

export interface RestFailure {
  status: number;
  resource: string;
  operation: string;
  /** The API's error text, scrubbed of the token. */
  text: string;
  /** The API's machine-readable error code, when it sends one. */
  code?: string;
}

function serverTimeOf(headers: Headers): number | undefined {
  const date = Date.parse(headers.get("date") ?? "");
  return Number.isNaN(date) ? undefined : date;
}

function buildUrl(baseUrl: string, req: RestRequest): string {
  const url = new URL(baseUrl + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** A response, whichever transport carried it. */
interface Answer {
  status: number;
  headers: Headers;
  text: () => Promise<string>;
  /** The unread body, from the streamed transport. */
  stream?: Readable;
}

async function readBody(res: Answer): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The error text and code of a body, whatever the API's shape (`error`, `message`, `msg`; `status`, `code`). */
export function errorText(body: unknown): { text: string; code?: string } {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const text = [b.error, b.message, b.msg].find((v) => typeof v === "string") as string | undefined;
    const code = [b.status, b.code, b.statusCode].find((v) => typeof v === "string") as string | undefined;
    return { text: text ?? JSON.stringify(body), code };
  }
  return { text: typeof body === "string" ? body.slice(0, 500) : "" };
}

function bodyOf(req: RestRequest): { body?: RawBody; contentType?: string } {
  if (req.rawBody) return { body: req.rawBody.make(), contentType: req.rawBody.contentType };
  if (req.body !== undefined) return { body: JSON.stringify(req.body), contentType: "application/json" };
  return {};
}

export async function restRequest<T>(api: RestApi, req: RestRequest): Promise<RestResponse<T>> {
  const { settings, token } = api;
  const idempotent = req.idempotent ?? (req.method !== "POST" && req.method !== "PATCH");
  const operation = `${req.method} ${req.path}`;
  const url = buildUrl(settings.baseUrl, req);
  const fail = (status: number, text: string, code?: string) =>
    api.error({ status, resource: req.resource, operation, text: redact(text, token), code });

  for (let attempt = 0; ; attempt++) {
    const lastAttempt = attempt >= settings.maxRetries;
    const { body, contentType } = bodyOf(req);
    const headers = {
      Authorization: `Bearer ${token}`,
      Accept: "application/json",
      ...api.headers,
      ...(contentType ? { "Content-Type": contentType } : {}),
      ...req.headers,
    };
    const timeoutMs = settings.timeoutMs + (req.extraTimeoutMs ?? 0);
    let res: Answer;
    try {
      res =
        isStream(body) || req.stream
          ? await streamed(url, req.method, headers, body, timeoutMs)
          : await fetched(url, req.method, headers, body, timeoutMs);
    } catch (e) {
      // No response: the request may or may not have been applied.
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (idempotent && !lastAttempt) {
        await sleep(retryDelayMs(attempt, undefined, settings));
        continue;
      }
      throw fail(0, message);
    }

    const ok = res.status >= 200 && res.status < 300;
    const meta = { status: res.status, serverTime: serverTimeOf(res.headers), headers: res.headers };
    if (ok && req.stream && res.stream) return { ...meta, body: undefined, stream: res.stream };
    // An error answer cut short (a server refusing an upload may close at once) is still that
    // answer: its status decides.
    const parsed = ok ? await readBody(res) : await readBody(res).catch(() => undefined);
    if (ok) return { ...meta, body: parsed as T };
    if (res.status === 404 && req.notFoundOk) return { ...meta, body: undefined };
    if (isRetryableStatus(res.status, idempotent) && !lastAttempt) {
      await sleep(retryDelayMs(attempt, parseRetryAfter(res.headers.get("retry-after")), settings));
      continue;
    }
    const { text, code } = errorText(parsed);
    throw fail(res.status, text, code);
  }
}

async function fetched(
  url: string,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  timeoutMs: number,
): Promise<Answer> {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, headers: res.headers, text: () => res.text() };
}

async function streamed(
  url: string,
  method: HttpMethod,
  headers: Record<string, string>,
  body: RawBody | undefined,
  idleTimeoutMs: number,
): Promise<Answer> {
  const res = await streamedExchange(url, { method, headers, body, idleTimeoutMs });
  return { status: res.status, headers: res.headers, stream: res.body, text: () => textOf(res.body) };
}
