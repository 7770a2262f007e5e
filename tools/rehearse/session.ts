/**
 * Connections a rehearsal uses: plain statements on the admin (superuser) connection, and probes run
 * the way PostgREST runs requests — one transaction, `SET LOCAL ROLE` to an API role, the JWT claims
 * in `request.jwt.claims` — always rolled back, so probes leave nothing behind.
 */
import type { Client as PgClient, QueryResult } from "pg";
import { redact } from "../../infra/providers/postgres";

function newClient(url: string): PgClient {
  const pg: typeof import("pg") = require("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on("error", () => undefined);
  return client;
}

/** Runs `work` on one connection, closed afterwards; errors are redacted of the URL's password. */
export async function withClient<T>(url: string, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = newClient(url);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    throw redactedError(error, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs statements in one transaction on the given connection. */
export async function inTransaction(url: string, statements: readonly string[]): Promise<void> {
  await withClient(url, async (client) => {
    await client.query("BEGIN");
    try {
      for (const statement of statements) await client.query(statement);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

export async function rows<R extends Record<string, unknown>>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<R[]> {
  return withClient(url, async (client) => (await client.query<R>(text, values)).rows);
}

/** A Postgres error code and message, as probes judge them. */
export interface SqlError {
  readonly code?: string;
  readonly message: string;
}

export function redactedError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const result = new Error(redact(message, url));
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") Object.assign(result, { code });
  return result;
}

/** A statement run inside a probe: its result, or the error that refused it. */
export type Attempt = { ok: true; result: QueryResult } | { ok: false; error: SqlError };

export type Probe = (text: string, values?: unknown[]) => Promise<Attempt>;

export interface Identity {
  /** Role to `SET LOCAL ROLE` to; the connection's own role when undefined. */
  readonly role?: string;
  /** JWT subject put in the request claims (an authenticated user). */
  readonly sub?: string;
}

/**
 * Runs `work` in a transaction as `identity`, each statement under a savepoint so one refusal does
 * not abort the next; rolled back at the end.
 */
export async function asIdentity<T>(
  url: string,
  identity: Identity,
  work: (probe: Probe, admin: Probe) => Promise<T>,
): Promise<T> {
  return withClient(url, async (client) => {
    await client.query("BEGIN");
    try {
      const assume = async () => {
        if (identity.role) await client.query(`SET LOCAL ROLE ${quote(identity.role)}`);
      };
      const claims = JSON.stringify({ ...(identity.sub ? { sub: identity.sub } : {}), role: identity.role });
      await client.query("SELECT set_config('request.jwt.claims', $1, true)", [claims]);
      await assume();
      const attempt =
        (before?: () => Promise<unknown>, after?: () => Promise<unknown>): Probe =>
        async (text, values) => {
          await client.query("SAVEPOINT probe");
          await before?.();
          try {
            const result = await client.query(text, values);
            await after?.();
            await client.query("RELEASE SAVEPOINT probe");
            return { ok: true, result };
          } catch (error) {
            await client.query("ROLLBACK TO SAVEPOINT probe");
            await after?.();
            const e = error as { code?: string; message?: string };
            return { ok: false, error: { code: e.code, message: String(e.message ?? error) } };
          }
        };
      // `admin` looks at the same transaction with the connection's own powers (e.g. audit rows).
      const admin = attempt(
        () => client.query("RESET ROLE"),
        () => assume(),
      );
      return await work(attempt(), admin);
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
    }
  });
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
