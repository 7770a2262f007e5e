import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { launchpadInvocations, launchpadProblems, npmProblems, simpleCommands } from "./commands";
import {
  allSteps,
  clone,
  expand,
  jobResolver,
  loadActions,
  loadWorkflows,
  ROOT,
  type Job,
  type Step,
  type Workflow,
} from "./support";

const workflows = loadWorkflows();
const actions = loadActions();
const steps = allSteps(workflows, actions);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

/** Inputs of the actions the workflows use, from each action's action.yml at the pinned version. */
const ACTION_INPUTS: Record<string, string[]> = {
  "actions/checkout": [
    "repository",
    "ref",
    "token",
    "path",
    "fetch-depth",
    "persist-credentials",
    "sparse-checkout",
  ],
  "actions/setup-node": ["node-version", "cache", "cache-dependency-path"],
  "actions/upload-artifact": ["name", "path", "retention-days"],
  "actions/download-artifact": ["name", "path", "run-id", "github-token"],
  "github/codeql-action/upload-sarif": ["sarif_file", "category", "ref", "sha"],
  "pulumi/actions": [
    "command",
    "stack-name",
    "work-dir",
    "pulumi-version",
    "policyPacks",
    "policyPackConfigs",
    "comment-on-pr",
    "edit-pr-comment",
    "github-token",
    "refresh",
    "expect-no-changes",
    "diff",
    "message",
    "suppress-outputs",
  ],
};

/** Pulumi CLI flags the workflows pass, per subcommand (https://www.pulumi.com/docs/iac/cli/commands/). */
const PULUMI_FLAGS: Record<string, string[]> = {
  "stack history": ["--stack", "--json", "--page-size"],
  refresh: [
    "--stack",
    "--preview-only",
    "--expect-no-changes",
    "--diff",
    "--non-interactive",
    "--suppress-outputs",
  ],
};

/** The checkout folders of a job (`path:` of its actions/checkout steps), by name. */
function checkoutPaths(job: Job): string[] {
  return (job.steps ?? [])
    .filter((s) => s.uses?.startsWith("actions/checkout") && !s.with?.["repository"])
    .map((s) => String(s.with?.["path"] ?? "."));
}

/** A path in the repository for `p` as a job sees it: `launchpad/x`, `delivery/x`, `../delivery/x` → `x`. */
function repoPath(job: Job, p: string, workingDirectory?: string): string | undefined {
  const folders = checkoutPaths(job);
  const from = workingDirectory ? path.posix.join(workingDirectory, p) : p;
  const normal = path.posix.normalize(from);
  for (const folder of folders) {
    if (folder === "." && !normal.startsWith("..")) return normal;
    if (normal === folder || normal.startsWith(`${folder}/`))
      return path.posix.relative(folder, normal) || ".";
  }
  return undefined;
}

function jobsWithSteps(wfs: Workflow[]): Array<{ wf: Workflow; id: string; job: Job; steps: Step[] }> {
  return wfs.flatMap((wf) =>
    Object.entries(wf.jobs)
      .filter(([, job]) => job.steps)
      .map(([id, job]) => ({ wf, id, job, steps: job.steps! })),
  );
}

/** Files a job's steps name that do not exist: local actions, node scripts, policy packs, CI scripts. */
function missingFiles(wfs: Workflow[]): string[] {
  const missing: string[] = [];
  for (const { wf, id, job, steps: jobSteps } of jobsWithSteps(wfs)) {
    const where = `${wf.file}#${id}`;
    const resolve = jobResolver(wfs, wf, job);
    const need = (p: string, dir?: string, kind: "file" | "dir" = "file"): void => {
      const local = p.replace(/^\$\{\{\s*github\.workspace\s*\}\}\//, "");
      for (const candidate of expand(local, resolve)) {
        const rel = repoPath(job, candidate, dir);
        const full = rel === undefined ? undefined : path.join(ROOT, rel);
        const ok =
          full !== undefined && fs.existsSync(full) && fs.statSync(full).isFile() === (kind === "file");
        if (!ok) missing.push(`${where}: ${candidate}`);
      }
    };
    for (const step of jobSteps) {
      if (step.uses?.startsWith("./")) need(path.posix.join(step.uses, "action.yml"));
      const pulumi = step.uses?.startsWith("pulumi/actions@");
      if (pulumi && step.with?.["work-dir"]) need(String(step.with["work-dir"]), undefined, "dir");
      if (pulumi && step.with?.["policyPacks"]) need(String(step.with["policyPacks"]), undefined, "dir");
      if (pulumi && step.with?.["policyPackConfigs"]) need(String(step.with["policyPackConfigs"]));
      if (!step.run) continue;
      for (const words of simpleCommands(step.run)) {
        const dir = step["working-directory"] ?? job.defaults?.run?.["working-directory"];
        if (words[0] === "node" && words[1]) need(words[1], dir);
        if (words[0]?.startsWith(".ci/")) {
          need(words[0], dir);
          const full = path.join(ROOT, words[0]);
          if (fs.existsSync(full) && !(fs.statSync(full).mode & 0o100))
            missing.push(`${where}: ${words[0]} is not executable`);
        }
      }
    }
  }
  return missing;
}

describe("what the jobs run exists", () => {
  it("every launchpad subcommand and flag is one the CLI accepts", () => {
    const invocations = steps.flatMap(({ step }) => (step.run ? launchpadInvocations(step.run) : []));
    expect(invocations.map((a) => a[0]).sort()).toEqual(["audit", "audit", "backup", "backup", "plan"]);
    expect(invocations.flatMap(launchpadProblems)).toEqual([]);
  });

  it("a launchpad flag or value the CLI does not have is caught", () => {
    expect(launchpadProblems(["audit", "--format", "html"])).toEqual([
      "launchpad audit --format: html is not one of table|json|sarif|markdown",
    ]);
    expect(launchpadProblems(["audit", "--fail-fast"])[0]).toContain("no option --fail-fast");
    expect(launchpadProblems(["deploy"])).toEqual(["launchpad deploy: not a command of the CLI"]);
  });

  it("every npm command is a script of package.json", () => {
    const runs = steps.filter(({ step }) => step.run).map(({ step }) => step.run!);
    expect(runs.some((r) => /^npm ci$/m.test(r))).toBe(true);
    expect(runs.flatMap(npmProblems)).toEqual([]);
    expect(npmProblems("npm run deploy")).toEqual(["npm run deploy: no such script in package.json"]);
  });

  it("every file, script, local action, policy pack and policy config a job names exists", () => {
    expect(missingFiles(workflows)).toEqual([]);
    const broken = clone(workflows);
    const preview = broken.find((w) => w.file === "pull-request.yml")!.jobs["preview"]!;
    preview.steps!.find((s) => s.with?.["policyPackConfigs"])!.with!["policyPackConfigs"] =
      "${{ github.workspace }}/launchpad/policies/${{ matrix.stack }}.json";
    expect(missingFiles(broken)).toHaveLength(3);
  });

  it(".ci/run, which the test job runs, installs with npm ci and runs npm test", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test( |$)/m);
  });

  it("every reusable workflow called exists, declares the inputs it is given and gets the required ones", () => {
    for (const wf of workflows) {
      for (const job of Object.values(wf.jobs)) {
        if (!job.uses) continue;
        expect(job.uses).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
        const callee = workflows.find((w) => `./.github/workflows/${w.file}` === job.uses)!;
        const inputs = callee.on["workflow_call"].inputs as Record<string, { required?: boolean }>;
        for (const name of Object.keys(job.with ?? {})) expect(Object.keys(inputs)).toContain(name);
        for (const [name, spec] of Object.entries(inputs))
          if (spec.required) expect(Object.keys(job.with ?? {})).toContain(name);
      }
    }
  });

  it("every step output and job output read is one a step writes", () => {
    for (const { wf, id, job, steps: jobSteps } of jobsWithSteps(workflows)) {
      const text = JSON.stringify(job);
      for (const [, stepId, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const step = jobSteps.find((s) => s.id === stepId);
        expect({ at: `${wf.file}#${id}`, step: stepId, found: Boolean(step) }).toEqual({
          at: `${wf.file}#${id}`,
          step: stepId,
          found: true,
        });
        const script = step!.run ?? "";
        const scriptFile = /node (\S+\.js)/.exec(script)?.[1];
        const writer = scriptFile
          ? fs.readFileSync(path.join(ROOT, repoPath(job, scriptFile, step!["working-directory"])!), "utf8")
          : script;
        expect({ step: stepId, writes: writer.includes(`${output}=`) }).toEqual({
          step: stepId,
          writes: true,
        });
      }
      for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect(Object.keys(wf.jobs[needed!]?.outputs ?? {})).toContain(output);
      }
    }
  });

  it("every action input is one the action declares", () => {
    for (const { where, step } of steps) {
      if (!step.uses || step.uses.startsWith("./")) continue;
      const action = step.uses.split("@")[0]!;
      expect({ where, action, known: action in ACTION_INPUTS }).toEqual({ where, action, known: true });
      for (const input of Object.keys(step.with ?? {})) expect(ACTION_INPUTS[action]).toContain(input);
    }
  });

  it("every pulumi command is one the pinned CLI has, with flags it takes", () => {
    const commands = steps
      .flatMap(({ step }) => (step.run ? simpleCommands(step.run) : []))
      .filter((w) => w[0] === "pulumi");
    expect(commands.length).toBeGreaterThan(0);
    for (const words of commands) {
      const sub = words[1] === "stack" ? `stack ${words[2]}` : words[1]!;
      expect(Object.keys(PULUMI_FLAGS)).toContain(sub);
      for (const flag of words.filter((w) => w.startsWith("--"))) expect(PULUMI_FLAGS[sub]).toContain(flag);
    }
  });

  it("paths-ignore patterns match files of the repository", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")!;
    const patterns = deploy.on["push"]["paths-ignore"] as string[];
    const files = listFiles(ROOT);
    for (const pattern of patterns) {
      const regex = new RegExp(
        `^${pattern
          .replace(/\./g, "\\.")
          .replace(/\*\*\/?/g, "\u0000")
          .replace(/\*/g, "[^/]*")
          .replace(/\u0000/g, ".*")}$`,
      );
      expect({ pattern, matches: files.some((f) => regex.test(f)) }).toEqual({ pattern, matches: true });
    }
  });
});

function listFiles(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name === ".git") return [];
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(path.join(dir, e.name), rel) : [rel];
  });
}

describe("how the workflows are written", () => {
  it("pins the CLI launcher (npm `pulumi`) to the SDK's release, so `npx pulumi` runs the matching CLI", () => {
    expect(pkg.devDependencies["pulumi"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies["pulumi"]).toBe(pkg.dependencies["@pulumi/pulumi"]);
  });

  it("set up the Node.js major the package (and the Pulumi SDK it pins) requires", () => {
    const major = /^>=(\d+)$/.exec(pkg.engines.node)?.[1];
    const sdk = JSON.parse(
      fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ) as { engines: { node: string } };
    expect(sdk.engines.node).toBe(pkg.engines.node);
    const nodes = steps.filter(({ step }) => step.uses?.startsWith("actions/setup-node@"));
    expect(nodes.length).toBeGreaterThan(0);
    for (const { step } of nodes) expect(String(step.with?.["node-version"])).toBe(major);
  });

  it("pins every action to an exact version, and the Pulumi CLI to the SDK's version", () => {
    for (const { where, step } of steps) {
      if (!step.uses || step.uses.startsWith("./")) continue;
      expect({ where, uses: step.uses }).toEqual({
        where,
        uses: expect.stringMatching(/^[\w.-]+\/[\w./-]+@v\d+\.\d+\.\d+$/),
      });
      if (step.uses.startsWith("pulumi/actions@"))
        expect(step.with?.["pulumi-version"]).toBe(pkg.dependencies["@pulumi/pulumi"]);
    }
    for (const wf of workflows)
      for (const job of Object.values(wf.jobs))
        if (job.container) expect(job.container).toMatch(/^[\w.-]+:\d[\w.-]*$/);
  });

  it("never interpolates an expression into a script: values reach scripts through env", () => {
    const inline = steps
      .filter(({ step }) => step.run?.includes("${{"))
      .map(({ where, step }) => `${where}: ${step.name ?? step.run}`);
    expect(inline).toEqual([]);
  });

  it("grants no permission at the workflow level, and each job only what it needs", () => {
    const granted: Record<string, unknown> = {};
    for (const wf of workflows) {
      expect({ file: wf.file, permissions: wf.permissions }).toEqual({ file: wf.file, permissions: {} });
      for (const [id, job] of Object.entries(wf.jobs)) granted[`${wf.file}#${id}`] = job.permissions;
    }
    const read = { contents: "read" };
    expect(granted).toEqual({
      "audit-publish.yml#publish": { actions: "read", "pull-requests": "write", "security-events": "write" },
      "backup.yml#backup": read,
      "deploy.yml#dev": read,
      "deploy.yml#qa": read,
      "deploy.yml#prod": read,
      "drift.yml#drift": read,
      "pull-request.yml#test": read,
      "pull-request.yml#audit": read,
      "pull-request.yml#changes": read,
      "pull-request.yml#preview": { contents: "read", "pull-requests": "write" },
      "pulumi-up.yml#up": read,
      "rollback.yml#rollback": read,
    });
  });

  it("runs every script under bash with pipefail, so a failing command in a pipe fails its step", () => {
    for (const wf of workflows) {
      const runs = Object.values(wf.jobs).some((job) => (job.steps ?? []).some((s) => s.run));
      const shell = (wf as Workflow & { defaults?: { run?: { shell?: string } } }).defaults?.run?.shell;
      if (runs) expect({ file: wf.file, shell }).toEqual({ file: wf.file, shell: "bash" });
    }
    for (const { where, step } of steps)
      if (step.run && step.shell !== undefined)
        expect({ where, shell: step.shell }).toEqual({ where, shell: "bash" });
  });

  it("never leaves the checkout's token in the git config", () => {
    for (const { where, step } of steps)
      if (step.uses?.startsWith("actions/checkout"))
        expect({ where, persist: step.with?.["persist-credentials"] }).toEqual({ where, persist: false });
  });
});
