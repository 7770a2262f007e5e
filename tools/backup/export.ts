/**
 * The export: every declared table (or, for a backup by schema, every table the snapshot lists) read
 * in one REPEATABLE READ, READ ONLY transaction (one snapshot: rows written meanwhile are in no table
 * or in all), through cursors, gzip-compressed and
 * hashed as it streams into a local file. Memory is bounded by a cursor batch (2,000 rows, written
 * as one chunk) whatever the size.
 */

import { createHash } from "crypto";
import * as fs from "fs";
import { Readable, Transform } from "stream";
import { pipeline } from "stream/promises";
import { createGzip } from "zlib";
import type { Client } from "pg";
import { cursorBatches, withDatabase } from "./database";
import { controlLine, FORMAT, type TableSummary } from "./format";
import { resolveSelection } from "./schema-tables";
import { column, qualified, type BackupSelection, type BackupTable } from "./tables";

export interface ExportResult {
  readonly tables: TableSummary[];
  /** Hex SHA-256 of the compressed file. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** The rows of a table as the export writes them (also how a restored table is checked). */
export function rowLinesQuery(table: BackupTable): string {
  // `ORDER BY 1` is the line itself: the order of a table without a key.
  const order = table.orderBy.length > 0 ? table.orderBy.map((c) => `t.${column(c)}`).join(", ") : "1";
  return `SELECT row_to_json(t)::text AS line FROM ${qualified(table.table)} t ORDER BY ${order}`;
}

/** Row lines as the object holds them: each followed by a newline. */
function batchText(lines: readonly string[]): string {
  return lines.join("\n") + "\n";
}

async function* backupLines(
  client: Client,
  header: { stack: string; app: string },
  tables: readonly BackupTable[],
  summaries: TableSummary[],
): AsyncGenerator<string> {
  yield controlLine({ kind: "header", format: FORMAT, ...header, tables: tables.map((t) => t.table) }) + "\n";
  for (const table of tables) {
    yield controlLine({ kind: "table", table: table.table }) + "\n";
    const hash = createHash("sha256");
    let rows = 0;
    for await (const lines of cursorBatches(client, rowLinesQuery(table))) {
      // A fetch's rows as one chunk: the same bytes and hash as line by line, in far fewer writes
      // through gzip, and nothing kept once written.
      const chunk = batchText(lines);
      hash.update(chunk);
      rows += lines.length;
      yield chunk;
    }
    const summary = { table: table.table, rows, sha256: hash.digest("hex") };
    summaries.push(summary);
    yield controlLine({ kind: "end-table", ...summary }) + "\n";
  }
  yield controlLine({ kind: "end" }) + "\n";
}

/** Hashes and counts what passes through. */
export function digestStream(): Transform & { digest: () => { sha256: string; sizeBytes: number } } {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(stream, { digest: () => ({ sha256: hash.digest("hex"), sizeBytes: size }) });
}

/** Exports the tables `selection` stands for, in the database at `databaseUrl`, into `file`. */
export async function exportToFile(
  databaseUrl: string,
  header: { stack: string; app: string },
  selection: BackupSelection,
  file: string,
): Promise<ExportResult> {
  return withDatabase(databaseUrl, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      // Listed in the snapshot the rows are read from: the same set of tables as those rows.
      const tables = await resolveSelection(client, selection);
      const summaries: TableSummary[] = [];
      const digest = digestStream();
      await pipeline(
        // One batch ahead of gzip at most: the generator fetches the next only when it is wanted.
        Readable.from(backupLines(client, header, tables, summaries), { highWaterMark: 1 }),
        createGzip({ level: 6 }),
        digest,
        fs.createWriteStream(file),
      );
      return { tables: summaries, ...digest.digest() };
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
}

/** Row count and checksum of a table as it is now, computed as the export computes them. */
export async function tableSummary(databaseUrl: string, table: BackupTable): Promise<TableSummary> {
  return withDatabase(databaseUrl, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const hash = createHash("sha256");
      let rows = 0;
      for await (const lines of cursorBatches(client, rowLinesQuery(table))) {
        hash.update(batchText(lines));
        rows += lines.length;
      }
      return { table: table.table, rows, sha256: hash.digest("hex") };
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
}
