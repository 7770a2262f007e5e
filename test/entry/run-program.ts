/**
 * Starts the program the way `pulumi up` does: the Node.js language host runs
 * `@pulumi/pulumi/cmd/run` with the engine's addresses, project and stack as arguments, and the
 * stack's config in PULUMI_CONFIG (objects as JSON) with its secret keys in
 * PULUMI_CONFIG_SECRET_KEYS. Secrets the stack files do not hold get the offline engine's stand-ins.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_NAME, readLayeredConfig, validatePlatform, type LayeredConfig } from "../../infra/config";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The stack's config as the CLI hands it to the language host. */
export function languageHostConfig(stack: string): { config: Record<string, string>; secretKeys: string[] } {
  const layered: LayeredConfig = readLayeredConfig(stack);
  const config = withSecretStandIns(layered, validatePlatform(stack, layered));
  return {
    config: Object.fromEntries(
      Object.entries(config.values).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
    secretKeys: config.secretKeys,
  };
}

export interface ProgramRun {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `infra/index.ts` (Pulumi.yaml's `main`) through the SDK's entry point against `address`. */
export function runProgram(stack: string, address: string, env: NodeJS.ProcessEnv = {}): Promise<ProgramRun> {
  const { config, secretKeys } = languageHostConfig(stack);
  const entry = require.resolve("@pulumi/pulumi/cmd/run");
  const args = [
    entry,
    `--monitor=${address}`,
    `--engine=${address}`,
    `--project=${PROJECT_NAME}`,
    `--stack=${stack}`,
    `--pwd=${ROOT}`,
    "--parallel=16",
    "infra/index.ts",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        // Pulumi.yaml's `runtime.options.typescript: true`, as the language host passes it.
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
