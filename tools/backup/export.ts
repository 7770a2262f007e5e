/**
 * The export: every declared table read in one REPEATABLE READ, READ ONLY transaction (one
 * snapshot: rows written meanwhile are in no table or in all), through cursors, gzip-compressed and
 * hashed as it streams into a local file. Memory is bounded by a cursor batch whatever the size.
 */

import { createHash } from "crypto";
import * as fs from "fs";
import { Readable, Transform } from "stream";
import { pipeline } from "stream/promises";
import { createGzip } from "zlib";
import type { Client } from "pg";
import { cursorLines, withDatabase } from "./database";
import { controlLine, FORMAT, type TableSummary } from "./format";
import { column, qualified, type BackupTable } from "./tables";

export interface ExportResult {
  readonly tables: TableSummary[];
  /** Hex SHA-256 of the compressed file. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** The rows of a table as the export writes them (also how a restored table is checked). */
export function rowLinesQuery(table: BackupTable): string {
  return `SELECT row_to_json(t)::text AS line FROM ${qualified(table.table)} t ORDER BY t.${column(table.orderBy)}`;
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
    for await (const line of cursorLines(client, rowLinesQuery(table))) {
      hash.update(line + "\n");
      rows++;
      yield line + "\n";
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

/** Exports the tables of the database at `databaseUrl` into `file`. */
export async function exportToFile(
  databaseUrl: string,
  header: { stack: string; app: string },
  tables: readonly BackupTable[],
  file: string,
): Promise<ExportResult> {
  return withDatabase(databaseUrl, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const summaries: TableSummary[] = [];
      const digest = digestStream();
      await pipeline(
        Readable.from(backupLines(client, header, tables, summaries)),
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
      for await (const line of cursorLines(client, rowLinesQuery(table))) {
        hash.update(line + "\n");
        rows++;
      }
      return { table: table.table, rows, sha256: hash.digest("hex") };
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
}
