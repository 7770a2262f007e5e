/**
 * Streamed bodies through the shared HTTP core, seen from the Storage client: an upload reads its
 * source only as the connection takes it and keeps nothing it has sent; a download is read from
 * the connection as it is consumed. Without that, a backup's memory grows with its object.
 *
 * What may legitimately sit between the two ends is bounded by the operating system's socket
 * buffers (send + receive, read from /proc where it can be) plus a little of Node's own; each body
 * is four times that, so a transfer that reads ahead or holds what it sent cannot pass.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { StorageClient } from "../../../infra/providers/supabase/storage";

const CHUNK = 64 * 1024;
const MiB = 1024 * 1024;

/** The largest a TCP buffer of this kind may grow to (Linux: the third field of the sysctl). */
function socketBufferMax(kind: "wmem" | "rmem"): number {
  try {
    const max = Number(fs.readFileSync(`/proc/sys/net/ipv4/tcp_${kind}`, "utf8").trim().split(/\s+/)[2]);
    if (Number.isFinite(max) && max > 0) return max;
  } catch {
    // Not Linux: a generous allowance instead.
  }
  return 16 * MiB;
}

/** What may be in flight between a source and its reader: both socket buffers, and Node's streams. */
const IN_FLIGHT = socketBufferMax("wmem") + socketBufferMax("rmem") + MiB;
const BODY = Math.ceil((4 * IN_FLIGHT) / CHUNK) * CHUNK;

/** A source of `total` bytes that counts how many have been pulled from it. */
function countingSource(total: number, fresh: boolean): Readable & { pulled: () => number } {
  let pulled = 0;
  const shared = Buffer.alloc(CHUNK, 0x61);
  const source = new Readable({
    read() {
      if (pulled >= total) {
        this.push(null);
        return;
      }
      pulled += CHUNK;
      // Fresh chunks each own their memory, so what is kept of them can be measured.
      this.push(fresh ? Buffer.alloc(CHUNK, 0x61) : shared);
    },
  });
  return Object.assign(source, { pulled: () => pulled });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handle: http.RequestListener, env: NodeJS.ProcessEnv = {}): Promise<StorageClient> {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return new StorageClient({
    projectUrl: `http://127.0.0.1:${port}`,
    env: { SUPABASE_SERVICE_ROLE_KEY: "service-key", SUPABASE_STORAGE_MAX_RETRIES: "0", ...env },
  });
}

function answerUpload(res: http.ServerResponse, received: number): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ Key: "backups/object", received }));
}

describe("an upload", () => {
  it("reads its source no faster than a slow server takes it", async () => {
    const source = countingSource(BODY, false);
    let received = 0;
    let widest = 0;
    const client = await serve((req, res) => {
      req.on("data", (chunk: Buffer) => {
        received += chunk.length;
        widest = Math.max(widest, source.pulled() - received);
        // One chunk per turn of the event loop: the client gets every chance to run ahead.
        req.pause();
        setImmediate(() => req.resume());
      });
      req.on("end", () => answerUpload(res, received));
    });
    const result = await client.upload("backups", "object", {
      contentType: "application/gzip",
      open: () => source,
    });
    expect(result.key).toBe("backups/object");
    expect(received).toBe(BODY);
    expect(widest).toBeLessThanOrEqual(IN_FLIGHT);
  });

  it("keeps none of what it has sent while it waits for the answer", async () => {
    const gc = (v8.setFlagsFromString("--expose-gc"), vm.runInNewContext("gc")) as () => void;
    let bodyReceived!: () => void;
    const received = new Promise<void>((resolve) => (bodyReceived = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let bytes = 0;
    const client = await serve((req, res) => {
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => {
        bodyReceived();
        void answered.then(() => answerUpload(res, bytes));
      });
    });
    await nextTurn();
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const upload = client.upload("backups", "object", {
      contentType: "application/gzip",
      open: () => countingSource(BODY, true),
    });
    await received;
    await nextTurn();
    gc();
    const held = process.memoryUsage().arrayBuffers - before;
    answer();
    expect((await upload).key).toBe("backups/object");
    expect(bytes).toBe(BODY);
    expect(held).toBeLessThan(IN_FLIGHT);
  });

  it("is abandoned, with no answer to report, when the connection stays silent past the timeout", async () => {
    let taken = 0;
    // Takes the body, then never answers.
    const client = await serve((req) => req.on("data", (chunk: Buffer) => (taken += chunk.length)), {
      SUPABASE_STORAGE_TIMEOUT_MS: "200",
    });
    const error = await client
      .upload("backups", "object", {
        contentType: "application/gzip",
        open: () => countingSource(CHUNK, false),
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error & { status?: number },
      );
    expect(taken).toBe(CHUNK);
    expect(error?.status).toBe(0);
    expect(error?.message).toMatch(/TimeoutError: no data sent or received for 200 ms/);
  });
});

describe("a download", () => {
  it("is read from the connection as it is consumed, not gathered first", async () => {
    let written = 0;
    const client = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/gzip" });
      const chunk = Buffer.alloc(CHUNK, 0x62);
      const write = () => {
        while (written < BODY) {
          written += CHUNK;
          if (!res.write(chunk)) {
            res.once("drain", write);
            return;
          }
        }
        res.end();
      };
      write();
    });
    const stream = await client.download("backups", "object");
    let consumed = 0;
    let widest = 0;
    for await (const chunk of stream!) {
      // How far the server had got beyond what was consumed, when the next piece arrived.
      widest = Math.max(widest, written - consumed);
      consumed += (chunk as Buffer).length;
      await nextTurn();
    }
    expect(consumed).toBe(BODY);
    expect(widest).toBeLessThanOrEqual(IN_FLIGHT);
  });
});
