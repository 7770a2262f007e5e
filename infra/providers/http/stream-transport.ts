/**
 * The transport of streamed bodies (an upload read from a file, a download handed on as a stream),
 * on node:http/https instead of fetch. Node 20's fetch clones every request that has a body so it
 * could follow a redirect, and cloning tees a stream body: the branch it keeps is never read, so
 * each chunk sent stays in memory until the upload ends (nodejs/undici#4058) — the whole object.
 * Here the body is piped into the request, so the source is read only as the socket drains, and
 * nothing sent is kept; the response is handed back as the socket's own stream.
 * Built-in modules are required where used: the core is serialized into Pulumi's state with the
 * dynamic providers (see infra/providers/fly/README.md).
 */

import type * as http from "node:http";
import type { Readable } from "node:stream";

export interface StreamedRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  /** Sent chunked, read as the connection takes it; bytes or text are sent as they are. */
  readonly body?: Readable | string | Uint8Array;
  /**
   * How long the connection may stay silent, sending or receiving, before the exchange is
   * abandoned: a transfer of any size may take longer than this in total, a stalled one may not.
   */
  readonly idleTimeoutMs: number;
}

export interface StreamedResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The response body, read from the socket as it is consumed. */
  readonly body: Readable;
}

function headersOf(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no data sent or received for ${ms} ms`), { name: "TimeoutError" });
}

/**
 * Sends one request and resolves with its response as soon as the status line and headers arrive
 * (possibly before the whole body is sent, when the server answers early); rejects when no
 * response comes: the connection failed, was cut, or stayed silent too long.
 */
export function streamedExchange(url: string, request: StreamedRequest): Promise<StreamedResponse> {
  const target = new URL(url);
  const send =
    target.protocol === "https:"
      ? (require("node:https") as typeof import("node:https")).request
      : (require("node:http") as typeof import("node:http")).request;
  const { Readable: ReadableClass }: typeof import("node:stream") = require("node:stream");
  const { pipeline }: typeof import("node:stream/promises") = require("node:stream/promises");
  const body =
    request.body === undefined || isStream(request.body) ? request.body : ReadableClass.from([request.body]);
  return new Promise((resolve, reject) => {
    const req = send(target, { method: request.method, headers: request.headers });
    let answered = false;
    let bodySent = body === undefined;
    const fail = (error: Error) => {
      if (!answered) reject(error);
    };
    req.on("error", fail);
    req.setTimeout(request.idleTimeoutMs, () => req.destroy(timeoutError(request.idleTimeoutMs)));
    req.on("response", (res) => {
      answered = true;
      // A server that answers before taking the whole body has refused it: stop sending.
      res.on("end", () => {
        if (!bodySent) req.destroy();
      });
      resolve({ status: res.statusCode ?? 0, headers: headersOf(res), body: res });
    });
    if (body) {
      // pipeline writes a chunk, then waits for the request to drain before reading the next.
      pipeline(body, req).then(
        () => {
          bodySent = true;
        },
        (error: unknown) => {
          req.destroy();
          fail(error instanceof Error ? error : new Error(String(error)));
        },
      );
    } else {
      req.end();
    }
  });
}

/** A Node stream, told apart without its class (which would be captured in serialized code). */
export function isStream(body: unknown): body is Readable {
  return typeof (body as Readable | undefined)?.pipe === "function";
}

/** The whole of a (small) response body as text: error answers, JSON results. */
export async function textOf(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
