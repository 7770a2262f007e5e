/** Shared fixtures for the Postgres provider tests: a real server, stand-in tables, role probes. */
import { Client } from "pg";
import { afterAll, beforeAll } from "vitest";
import { supabaseCompatProvider } from "../../../infra/providers/postgres";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../tools/rehearse/embedded-postgres";

export const USER_A = "00000000-0000-4000-8000-00000000000a";
export const USER_B = "00000000-0000-4000-8000-00000000000b";
export const TENANT_A = "10000000-0000-4000-8000-00000000000a";
export const TENANT_B = "10000000-0000-4000-8000-00000000000b";

/** Runs plain SQL as the server's superuser (test setup and hand-made drift). */
export async function admin<T = Record<string, unknown>>(
  url: string,
  sql: string,
  values?: unknown[],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A server with the Supabase compatibility shim applied (API roles, auth helpers, storage). */
export async function startServer(): Promise<ThrowawayPostgres> {
  const server = await startThrowawayPostgres();
  await supabaseCompatProvider.create({ databaseUrl: server.url, storage: true });
  return server;
}

export interface TestDatabase {
  /** The server's URL, as its superuser; only inside the file's tests and hooks. */
  readonly url: string;
}

/**
 * Registers hooks that start one server with the Supabase shim for the file's tests (with the
 * stand-in tables unless told otherwise) and stop it afterwards.
 */
export function useServer(options: { standInTables?: boolean } = {}): TestDatabase {
  let server: ThrowawayPostgres | undefined;
  beforeAll(async () => {
    server = await startServer();
    if (options.standInTables ?? true) await createStandInTables(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    server = undefined;
  });
  return {
    get url() {
      if (!server) throw new Error("the test database is only available inside the file's tests");
      return server.url;
    },
  };
}

/** Stand-ins for the apps' migrations: a workspace app (tenant model) and a notes app (owner model). */
export async function createStandInTables(url: string): Promise<void> {
  await admin(
    url,
    `CREATE TABLE public.workspaces (id uuid PRIMARY KEY, name text NOT NULL);
     CREATE TABLE public.user_roles (user_id uuid NOT NULL, workspace_id uuid NOT NULL, role text NOT NULL);
     CREATE TABLE public.custom_kpis (id serial PRIMARY KEY, workspace_id uuid NOT NULL, name text NOT NULL);
     CREATE TABLE public.notes (id serial PRIMARY KEY, owner_id uuid NOT NULL, body text NOT NULL);
     GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO anon, authenticated, service_role;
     GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO anon, authenticated, service_role;
     INSERT INTO public.workspaces VALUES ('${TENANT_A}', 'A'), ('${TENANT_B}', 'B');
     INSERT INTO public.user_roles VALUES ('${USER_A}', '${TENANT_A}', 'owner'), ('${USER_B}', '${TENANT_B}', 'owner');
     INSERT INTO public.custom_kpis (workspace_id, name) VALUES ('${TENANT_A}', 'kpi a'), ('${TENANT_B}', 'kpi b');
     INSERT INTO public.notes (owner_id, body) VALUES ('${USER_A}', 'note a'), ('${USER_B}', 'note b');`,
  );
}

export type Probe = (sql: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Runs `work` the way PostgREST does: inside a transaction, as an API role, with the JWT claims
 * in `request.jwt.claims`. Rolled back afterwards, so probes leave no rows behind.
 */
export async function asRole<T>(
  url: string,
  role: string,
  sub: string | undefined,
  work: (q: Probe) => Promise<T>,
) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL ROLE ${role}`);
    const claims = JSON.stringify(sub ? { sub, role } : { role });
    await client.query("SELECT set_config('request.jwt.claims', $1, true)", [claims]);
    // Each probe runs under a savepoint so a refused statement does not abort the ones after it.
    const probe: Probe = async (sql, values) => {
      await client.query("SAVEPOINT probe");
      try {
        const rows = (await client.query(sql, values)).rows;
        await client.query("RELEASE SAVEPOINT probe");
        return rows;
      } catch (error) {
        await client.query("ROLLBACK TO SAVEPOINT probe");
        throw error;
      }
    };
    return await work(probe);
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}

/** The error a probe raises, or undefined when it succeeds. */
export async function errorOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
