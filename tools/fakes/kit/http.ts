/** The HTTP plumbing of the local fakes: a loopback listener, and JSON request bodies. */

import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Cuts open connections (keep-alive included) and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `handle` on a free loopback port. A handler that throws answers 500 with `crashBody` of
 * the error's message (in the API's own error shape), or cuts the connection if it had begun to answer.
 */
export async function listen(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  crashBody: (message: string) => unknown,
): Promise<Listening> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify(crashBody(e instanceof Error ? e.message : String(e))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

export interface JsonBody {
  /** The parsed body; undefined when the request had none. */
  json?: unknown;
  /** The body was there but not JSON. */
  invalid?: boolean;
}

export async function readJson(req: http.IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  try {
    return { json: JSON.parse(raw) as unknown };
  } catch {
    return { invalid: true };
  }
}
