import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateProject } from "./generate-catalog";

/**
 * `npm run bench`: figures for the offline audit, printed as tables (not asserted: these machines
 * are noisy). (a) audit of the seed catalog against the bare import of the SDKs it loads (all
 * stacks; one stack alone; all stacks with empty compile caches, as after `npm ci`), (b) a scaling
 * series over generated catalogs, (c) peak memory of each run, (d) `plan --diff HEAD` against
 * `plan`, both on all stacks, in the same run.
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
 * One `launchpad audit` as a process of its own, timed from the outside like the SDK import it is
 * compared with: Node's start-up and the CLI's own loading count.
 */
function audit(projectDir: string, { stack = "all", env = process.env } = {}): Measured {
  const started = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [RUNNER, "audit", "--stack", stack, "--format", "json", "--cwd", projectDir],
    {
      cwd: ROOT,
      encoding: "utf8",
      env,
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

/** One CLI run as its own process, timed from the outside (exit 0 required). */
function cliRun(args: string[]): { wallMs: number; cpuMs: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [RUNNER, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const figures = JSON.parse(run.stderr.trim().split("\n").pop() ?? "") as { code: number; cpuMs: number };
  if (figures.code !== 0)
    throw new Error(`launchpad ${args.join(" ")} exited ${figures.code}:\n${run.stderr}`);
  return { wallMs, cpuMs: figures.cpuMs };
}

/**
 * (d) The plan diff evaluates every stack twice (the commit's tree and the work tree): against a
 * plan of the same stacks, measured alternately in the same run so both see the same machine.
 */
function planDiffFigures(): string {
  const plan = ["plan", "--stack", "all", "--format", "json"];
  const diff = ["plan", "--diff", "HEAD", "--stack", "all", "--format", "json"];
  cliRun(diff); // a warm-up: the runs below start with the compile caches filled
  const plans: Array<{ wallMs: number; cpuMs: number }> = [];
  const diffs: Array<{ wallMs: number; cpuMs: number }> = [];
  for (let i = 0; i < REPEAT; i++) {
    plans.push(cliRun(plan));
    diffs.push(cliRun(diff));
  }
  const row = (label: string, runs: typeof plans, ratio: string, target: string): Array<string | number> => [
    label,
    median(runs.map((r) => r.wallMs)).toFixed(0),
    median(runs.map((r) => r.cpuMs)).toFixed(0),
    ratio,
    target,
  ];
  const ratio = median(diffs.map((r) => r.wallMs)) / median(plans.map((r) => r.wallMs));
  return (
    "(d) plan --diff HEAD against plan, all stacks\n" +
    table(
      ["run", "wall ms", "CPU ms", "× plan", "target"],
      [
        row("plan --stack all", plans, "1.00", ""),
        row("plan --diff HEAD --stack all", diffs, ratio.toFixed(2), "≤ 2"),
      ],
    ) +
    "\n"
  );
}

/** An audit whose compile caches start empty, as on the first run after `npm ci`. */
function auditWithEmptyCaches(): Measured {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-bench-cache-"));
  try {
    return audit(ROOT, { env: { ...process.env, LAUNCHPAD_CACHE_DIR: cacheDir } });
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** A plain-text table: figures aligned right, a leading text column (a label) left. */
function table(head: string[], rows: Array<Array<string | number>>): string {
  const labelled = typeof rows[0]?.[0] === "string";
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const pad = (c: string, i: number): string =>
    labelled && i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!);
  return cells.map((r) => r.map(pad).join("  ").trimEnd()).join("\n");
}

function main(): void {
  process.stdout.write(
    `launchpad audit benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ${REPEAT} run(s) each, median\n\n`,
  );
  const imports = median(Array.from({ length: REPEAT }, importMs));
  // Fills the compile caches, so the runs below measure the steady state (the first run is apart).
  audit(ROOT);
  const figures = (label: string, measure: () => Measured, target = ""): Array<string | number> => {
    const runs = Array.from({ length: REPEAT }, measure);
    const wall = median(runs.map((m) => m.wallMs));
    const cpu = median(runs.map((m) => m.cpuMs));
    return [label, wall.toFixed(0), cpu.toFixed(0), (wall / imports).toFixed(2), target];
  };
  const rowsA = [
    figures("--stack all", () => audit(ROOT), "≤ 1.5"),
    // What a stack costs on a core of its own: the whole audit's floor with a core per stack.
    figures("--stack dev alone", () => audit(ROOT, { stack: "dev" })),
    // What CI pays after `npm ci`: both compile caches empty.
    figures("--stack all, empty caches", auditWithEmptyCaches),
  ];
  process.stdout.write(
    `(a) audit of the seed catalog against importing the SDKs it loads (${imports.toFixed(0)} ms)\n` +
      table(["run", "wall ms", "CPU ms", "× import", "target"], rowsA) +
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
      "\n\n",
  );
  process.stdout.write(planDiffFigures());
}

main();
