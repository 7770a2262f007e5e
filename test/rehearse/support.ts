/** Shared by the rehearsal tests: the CLI as a user runs it, and one app's layer ready to apply. */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { DatabasePlan } from "../../infra/components/database-plan";
import { PROJECT_DIR, type AppSpec } from "../../infra/config";
import { stackDatabases } from "../../tools/cli/database-plans";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `launchpad …` in a child process (asynchronously, so a test can run a server meanwhile). */
export function launchpad(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Only the variables given here reach the CLI's rehearsal settings (never the caller's own).
    const base = { ...process.env };
    delete base["LAUNCHPAD_REHEARSE_DATABASE_URL"];
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One app's declaration and database plan in a stack of this repository. */
export function appLayer(stack: string, app: string): { spec: AppSpec; plan: DatabasePlan } {
  const { apps } = stackDatabases(stack, [app], PROJECT_DIR, "");
  return apps[0]!;
}
