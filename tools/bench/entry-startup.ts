/**
 * Time from start to serving of the real entry points, as the Pulumi CLI starts them:
 * - the policy pack (`@pulumi/pulumi/cmd/run-policy-pack`): process start → Analyzer port printed;
 * - the program (`@pulumi/pulumi/cmd/run`, per stack): process start → first RegisterResource, and
 *   → exit (every resource registered, dynamic providers serialized).
 * Run: npx tsx tools/bench/entry-startup.ts [runs]   (figures, never assertions)
 */
import { PROJECT_NAME } from "../../infra/config";
import { serveEngine } from "../../test/entry/engine-server";
import { servePolicyPack } from "../../test/entry/policy-pack-server";
import { runProgram } from "../../test/entry/run-program";

const RUNS = Number(process.argv[2] ?? 3);
const STACKS = ["dev", "qa", "prod"];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const pack: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const engine = await serveEngine("dev", PROJECT_NAME);
    const served = await servePolicyPack(engine.address);
    pack.push(served.startupMs);
    served.close();
    await engine.close();
  }
  console.log(
    `policy pack, start → serving: median ${seconds(median(pack))} (${pack.map(seconds).join(", ")})`,
  );

  for (const stack of STACKS) {
    const engine = await serveEngine(stack, PROJECT_NAME);
    const started = Date.now();
    const run = await runProgram(stack, engine.address, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    const ended = Date.now();
    const first = engine.firstRegistrationAt();
    console.log(
      `program ${stack}: exit ${run.code}; start → first registration ${first ? seconds(first - started) : "none"}, ` +
        `→ done ${seconds(ended - started)}; ${engine.recorded.length} registrations`,
    );
    await engine.close();
  }
}

void main();
