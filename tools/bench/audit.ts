import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateProject } from "./generate-catalog";

/**
 * `npm run bench`: figures for the offline audit, printed as tables (not asserted: these machines
 * are noisy). (a) audit of the seed catalog against the bare import of the SDKs it loads,
 * (b) a scaling series over generated catalogs, (c) peak memory of each run.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(__dirname, "measured-run.js");
const SDKS = [
  "@pulumi/pulumi",
  "@pulumiverse/vercel",
  "@pulumi/github",
  "@pulumi/postgresql",
  "@pulumi/docker",
  "@pulumi/random",
  "@pulumi/policy",
];
const REPEAT = Number(process.env["BENCH_REPEAT"] ?? 3);
const SIZES = (process.env["BENCH_SIZES"] ?? "5,25,100").split(",").map(Number);

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function importMs(): number {
  const script = `const t=process.hrtime.bigint();${SDKS.map((s) => `require(${JSON.stringify(s)});`).join("")}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

interface Measured {
  wallMs: number;
  /** CPU time of all threads: steadier than wall time on a shared machine. */
  cpuMs: number;
  maxRssMb: number;
  resources: number;
}

/**
 * One `launchpad audit --stack all` as a process of its own, timed from the outside like the SDK
 * import it is compared with: Node's start-up and the CLI's own loading count.
 */
function audit(projectDir: string): Measured {
  const started = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [RUNNER, "audit", "--stack", "all", "--format", "json", "--cwd", projectDir],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const last = run.stderr.trim().split("\n").pop() ?? "";
  const figures = JSON.parse(last) as { code: number; cpuMs: number; maxRssMb: number };
  if (figures.code === 2) throw new Error(`audit of ${projectDir} failed:\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as { stacks: Array<{ resources: number }> };
  return {
    wallMs,
    cpuMs: figures.cpuMs,
    maxRssMb: figures.maxRssMb,
    resources: report.stacks.reduce((n, s) => n + s.resources, 0),
  };
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padStart(widths[i]!)).join("  ")).join("\n");
}

function main(): void {
  process.stdout.write(
    `launchpad audit benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ${REPEAT} run(s) each, median\n\n`,
  );
  const imports = median(Array.from({ length: REPEAT }, importMs));
  const seed = Array.from({ length: REPEAT }, () => audit(ROOT));
  const seedWall = median(seed.map((m) => m.wallMs));
  const seedCpu = median(seed.map((m) => m.cpuMs));
  process.stdout.write(
    "(a) audit --stack all of the seed catalog against importing the SDKs it loads\n" +
      table(
        ["import SDKs ms", "audit ms", "audit CPU ms", "ratio", "target"],
        [
          [
            imports.toFixed(0),
            seedWall.toFixed(0),
            seedCpu.toFixed(0),
            (seedWall / imports).toFixed(2),
            "≤ 1.5",
          ],
        ],
      ) +
      "\n\n",
  );
  const rows: Array<Array<string | number>> = [];
  for (const apps of SIZES) {
    const dir = generateProject(apps);
    try {
      const runs = Array.from({ length: apps >= 100 ? 1 : REPEAT }, () => audit(dir));
      const wall = median(runs.map((m) => m.wallMs));
      const resources = runs[0]!.resources;
      rows.push([
        apps,
        resources,
        wall.toFixed(0),
        median(runs.map((m) => m.cpuMs)).toFixed(0),
        (wall / resources).toFixed(2),
        Math.max(...runs.map((m) => m.maxRssMb)).toFixed(0),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    "(b, c) scaling: generated catalogs × 3 stacks (target ≤ 1 ms per resource at 100 apps, linear growth)\n" +
      table(["apps", "resources", "wall ms", "CPU ms", "ms/resource", "peak RSS MB"], rows) +
      "\n",
  );
}

main();
