/**
 * The single place that talks HTTP to the Machines API: auth header, JSON, retries, timeouts and
 * error shaping. Token and base URL are read from the environment on every call.
 */

import { flyApiError, redact } from "./errors";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, sleep } from "./retry";
import { readSettings, readToken } from "./settings";
import type { FlyErrorBody } from "./types";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface FlyRequest {
  method: HttpMethod;
  /** Path under the base URL, starting with `/v1/`; callers encode path segments. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** What is being managed, for error messages (`app mapquiz-prod`). */
  resource: string;
  /** Whether repeating the call is harmless; defaults to true for GET, PUT and DELETE. */
  idempotent?: boolean;
  /** Return `{status: 404}` instead of throwing (reads that detect deletion, deletes). */
  notFoundOk?: boolean;
  /** Extra time allowed on top of the configured timeout (server-side waits). */
  extraTimeoutMs?: number;
}

export interface FlyResponse<T> {
  status: number;
  body: T | undefined;
  /** The API's clock when it answered (its `Date` header), in ms since the epoch; absent if it sent none. */
  serverTime?: number;
}

function serverTimeOf(res: Response): number | undefined {
  const date = Date.parse(res.headers.get("date") ?? "");
  return Number.isNaN(date) ? undefined : date;
}

function buildUrl(baseUrl: string, req: FlyRequest): string {
  const url = new URL(baseUrl + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorText(body: unknown): { text: string; status?: string } {
  if (body && typeof body === "object") {
    const b = body as FlyErrorBody;
    return { text: b.error ?? JSON.stringify(body), status: b.status };
  }
  return { text: typeof body === "string" ? body.slice(0, 500) : "" };
}

export async function flyRequest<T>(req: FlyRequest): Promise<FlyResponse<T>> {
  const settings = readSettings();
  const token = readToken();
  const idempotent = req.idempotent ?? req.method !== "POST";
  const operation = `${req.method} ${req.path}`;
  const url = buildUrl(settings.baseUrl, req);

  for (let attempt = 0; ; attempt++) {
    const lastAttempt = attempt >= settings.maxRetries;
    let res: Response;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(req.body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...req.headers,
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal: AbortSignal.timeout(settings.timeoutMs + (req.extraTimeoutMs ?? 0)),
      });
    } catch (e) {
      // No response: the request may or may not have been applied.
      const message = redact(e instanceof Error ? `${e.name}: ${e.message}` : String(e), token);
      if (idempotent && !lastAttempt) {
        await sleep(retryDelayMs(attempt, undefined, settings));
        continue;
      }
      throw flyApiError(0, req.resource, operation, message);
    }

    const body = await readBody(res);
    if (res.ok) return { status: res.status, body: body as T, serverTime: serverTimeOf(res) };
    if (res.status === 404 && req.notFoundOk)
      return { status: 404, body: undefined, serverTime: serverTimeOf(res) };
    if (isRetryableStatus(res.status, idempotent) && !lastAttempt) {
      await sleep(retryDelayMs(attempt, parseRetryAfter(res.headers.get("retry-after")), settings));
      continue;
    }
    const { text, status } = errorText(body);
    throw flyApiError(res.status, req.resource, operation, redact(text, token), status);
  }
}
