/**
 * The one query path every Postgres provider uses: a connection per operation, one transaction per
 * operation (a failure leaves the database as it was), every change counted, secrets redacted.
 *
 * The connection string comes from the resource's secret `databaseUrl` input or from
 * LAUNCHPAD_DATABASE_URL at run time; it is never captured in a provider's closure.
 */
import type { ClientConfig, QueryResultRow } from "pg";

export const DATABASE_URL_ENV = "LAUNCHPAD_DATABASE_URL";
const LOCK_TIMEOUT = "10s";

/** Inputs every Postgres resource shares. */
export interface ConnectionInputs {
  /** Connection string (a Pulumi secret); LAUNCHPAD_DATABASE_URL when absent. */
  readonly databaseUrl?: string;
}

export function resolveDatabaseUrl(inputs: ConnectionInputs): string {
  const url = inputs.databaseUrl || process.env[DATABASE_URL_ENV];
  if (!url) {
    throw new Error(
      `No database connection: set the resource's databaseUrl input (a secret) or ${DATABASE_URL_ENV}`,
    );
  }
  return url;
}

/** Replaces the connection string, and the password inside it, wherever they appear. */
export function redact(text: string, url: string): string {
  const secrets = new Set<string>([url]);
  try {
    const password = new URL(url).password;
    if (password) {
      secrets.add(password);
      secrets.add(decodeURIComponent(password));
    }
  } catch {
    // Not a URL (a libpq keyword string): scrub a password=... pair instead.
    const match = /password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/i.exec(url);
    if (match) secrets.add(match[1]);
  }
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) result = result.split(secret).join("[redacted]");
  }
  return result;
}

type ChangeListener = (sql: string) => void;

// Kept on globalThis, looked up at call time: a module-level Set would be copied by value (and
// lose its contents) when Pulumi serializes a provider; the global is the same for every copy.
const LISTENERS_KEY = "__launchpadPostgresChangeListeners";

function changeListeners(): Set<ChangeListener> {
  const registry = globalThis as unknown as Record<string, Set<ChangeListener> | undefined>;
  return (registry[LISTENERS_KEY] ??= new Set<ChangeListener>());
}

/** Records every change statement (DDL, bucket rows, cron schedules) the providers issue. */
export interface ChangeWatch {
  readonly statements: readonly string[];
  stop(): void;
}

/** Starts recording change statements, e.g. to show an unchanged re-apply issues none. */
export function watchChanges(): ChangeWatch {
  const statements: string[] = [];
  const listener: ChangeListener = (sql) => statements.push(sql);
  changeListeners().add(listener);
  return { statements, stop: () => changeListeners().delete(listener) };
}

export interface Session {
  /** A read (or a catalog lookup); not counted. */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /**
   * A change. Runs as a single statement (extended protocol refuses a second one smuggled in), is
   * reported to change watchers, and on failure names what it was doing and the statement.
   */
  change(text: string, context: string, values?: unknown[]): Promise<void>;
}

/**
 * A failed database operation. A factory rather than an Error subclass: providers are serialized
 * into Pulumi state, and the closure serializer turns classes into functions that cannot extend
 * built-ins such as Error.
 */
export function operationError(message: string, name = "PostgresOperationError"): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { message: string; detail?: string; hint?: string };
    return [e.message, e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`]
      .filter(Boolean)
      .join("; ");
  }
  return String(error);
}

function clientConfig(url: string): ClientConfig {
  // Bounded waits: a provider must fail with a message, not hang the deployment.
  return { connectionString: url, connectionTimeoutMillis: 15_000, application_name: "launchpad" };
}

/** Runs `work` in one transaction; rolls back and rethrows (redacted) on any failure. */
export async function withTransaction<T>(
  inputs: ConnectionInputs,
  work: (session: Session) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const url = resolveDatabaseUrl(inputs);
  const pg: typeof import("pg") = require("pg");
  const client = new pg.Client(clientConfig(url));
  // A dropped connection is reported by the failing query; the client must not crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw operationError(redact(`Cannot connect to the database: ${describe(error)}`, url));
  }
  const session: Session = {
    async query<R extends QueryResultRow>(text: string, values?: unknown[]) {
      return (await client.query<R>(text, values)).rows;
    },
    async change(text, context, values = []) {
      changeListeners().forEach((listener) => listener(text));
      // pg has no typed option for the protocol; extended mode rejects multi-statement text.
      const config = { text, values, queryMode: "extended" } as { text: string; values: unknown[] };
      try {
        await client.query(config);
      } catch (error) {
        throw operationError(`${context}: ${describe(error)}\n  statement: ${text}`);
      }
    },
  };
  try {
    await client.query(options.readOnly ? "BEGIN READ ONLY" : "BEGIN");
    // ALTER TABLE / CREATE POLICY queue for an exclusive lock, and every query on the table queues
    // behind them: give up after a bounded wait instead of stalling a busy production table.
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    const result = await work(session);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw operationError(redact(message, url), error instanceof Error ? error.name : undefined);
  } finally {
    await client.end().catch(() => undefined);
  }
}
