/**
 * Providers as `pulumi up` runs them: serialized the way `dynamic.Resource` does and revived from
 * that text, in a process of their own under the CommonJS runtime (tsx), not vitest's module runner.
 */

import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";

/** Serializes a provider as Pulumi stores it, and revives a copy from that text alone. */
export async function revive<T>(provider: T): Promise<{ provider: T; text: string }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider);
  const module = { exports: {} as { handler?: () => T } };
  new Function("exports", "require", "module", serialized.text)(module.exports, require, module);
  return { provider: module.exports.handler!(), text: serialized.text };
}

/** Runs a fixture script the way the engine runs the program; its standard output. */
export async function runFixture(script: string, env: Record<string, string>): Promise<string> {
  const local = createRequire(__filename);
  const { stdout } = await promisify(execFile)(process.execPath, ["-r", local.resolve("tsx/cjs"), script], {
    env: { ...process.env, ...env },
  });
  return stdout;
}
