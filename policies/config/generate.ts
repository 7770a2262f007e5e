/**
 * Writes policies/config/<stack>.json from each stack's environment profile:
 * `npx tsx policies/config/generate.ts`. A test keeps the files equal to what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readLayeredConfig, STACK_NAMES, validatePlatform } from "../../infra/config";
import { enforcementConfig } from "../enforcement";

/** The config file's text for a stack, as generated. */
export function policyConfigText(stack: string, projectDir?: string): string {
  const { environment } = validatePlatform(stack, readLayeredConfig(stack, projectDir));
  return `${JSON.stringify(enforcementConfig(environment.policyEnforcement), null, 2)}\n`;
}

export function policyConfigFile(stack: string): string {
  return path.join(__dirname, `${stack}.json`);
}

if (require.main === module) {
  for (const stack of STACK_NAMES) {
    fs.writeFileSync(policyConfigFile(stack), policyConfigText(stack));
    console.log(`wrote ${path.relative(process.cwd(), policyConfigFile(stack))}`);
  }
}
