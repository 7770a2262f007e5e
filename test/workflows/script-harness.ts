/**
 * The delivery scripts the workflows run, run here as the workflows run them (node, env, stdin),
 * against local stand-ins for the services they call (Discord, the GitHub API, Grafana).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, expect } from "vitest";
import { ROOT } from "./support";

export const SCRIPTS = path.join(ROOT, ".github", "scripts");

export function runScript(
  script: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-gha-"));
  const outputFile = path.join(dir, "output");
  fs.writeFileSync(outputFile, "");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(SCRIPTS, script), ...args], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"]!, GITHUB_OUTPUT: outputFile, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, output: fs.readFileSync(outputFile, "utf8") }),
    );
    child.stdin.end(options.input ?? "");
  });
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A local HTTP server answering with `handler`, recording every request. */
export async function fakeServer(
  handler: (req: Recorded) => { status?: number; body?: unknown },
): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const recorded = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      requests.push(recorded);
      const { status = 200, body = {} } = handler(recorded);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** `launchpad plan --stack <stack> --format json` from the real CLI, in a file, as pulumi-up.yml writes it. */
export function writePlanJson(stack: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-plan-")), "plan.json");
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, "bin", "launchpad.js"), "plan", "--stack", stack, "--format", "json"],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  expect(run.status, run.stderr).toBe(0);
  fs.writeFileSync(file, run.stdout);
  return file;
}
