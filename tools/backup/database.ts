/**
 * Connections of the backup commands: one client per operation, its errors scrubbed of the URL's
 * password (pg is loaded on use, so `--help` does not pay for it).
 */

import type { Client } from "pg";
import { redact } from "../../infra/providers/postgres/connection";

export async function withDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const pg: typeof import("pg") = require("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    // The same error (its kind matters to callers), its texts scrubbed.
    if (!(error instanceof Error)) throw new Error(redact(String(error), url));
    error.message = redact(error.message, url);
    if (error.stack) error.stack = redact(error.stack, url);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The rows of a query through a cursor of the current transaction, one array of lines per fetch:
 * memory bounded by the batch, and the caller can write each batch as one chunk.
 */
export async function* cursorBatches(client: Client, query: string, batch = 2_000): AsyncGenerator<string[]> {
  const cursor = `launchpad_${Math.random().toString(36).slice(2, 10)}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${query}`);
  try {
    for (;;) {
      const result = await client.query<{ line: string }>(`FETCH ${batch} FROM ${cursor}`);
      if (result.rows.length > 0) yield result.rows.map((row) => row.line);
      if (result.rows.length < batch) return;
    }
  } finally {
    await client.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
}
