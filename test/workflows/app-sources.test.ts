import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AppSource } from "../../tools/ci/app-sources";
import { addExtraApp } from "../support/extra-app";
import { loadActions, ROOT, type Step } from "./support";

// The composite action that checks out the apps' sources, run for real: its listing step on a copy of
// the project whose catalog gained an app, its checkout step against local repositories standing in
// for GitHub.

const EXTRA = "extra-app";
const TOKEN = "ghs_app-sources-test-token";
const action = loadActions().find((a) => a.dir === "app-sources")!;
const [listStep, checkoutStep] = action.runs.steps as [Step, Step];

function bash(script: string, cwd: string, env: Record<string, string>) {
  return spawnSync("bash", ["-e", "-c", script], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
}

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.test", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/** A bare repository at `<server>/<owner>/<name>.git` whose main and qa branches each name themselves. */
function serveRepository(server: string, repository: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-app-source-"));
  git(work, "init", "--quiet", "--initial-branch=main");
  for (const branch of ["main", "qa"]) {
    if (branch !== "main") git(work, "checkout", "--quiet", "-b", branch);
    fs.writeFileSync(path.join(work, "BRANCH"), branch);
    git(work, "add", "BRANCH");
    git(work, "commit", "--quiet", "-m", branch);
  }
  git(work, "checkout", "--quiet", "main");
  const bare = `${path.join(server, repository)}.git`;
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(work, "clone", "--quiet", "--bare", work, bare);
}

/** A workspace as the workflows lay it out: the project in `launchpad/`, with one more app in its catalog. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-workspace-"));
  const project = path.join(dir, "launchpad");
  fs.mkdirSync(project);
  for (const entry of ["infra", "tools", "node_modules", "package.json", "tsconfig.json"])
    fs.symlinkSync(path.join(ROOT, entry), path.join(project, entry));
  for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\.\w+)?\.yaml$/.test(f)))
    fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
  addExtraApp(project, EXTRA);
  return dir;
}

describe("the app-sources action", () => {
  let dir: string;
  let sources: AppSource[];

  beforeAll(() => {
    dir = workspace();
    const output = path.join(dir, "github-output");
    fs.writeFileSync(output, "");
    expect(listStep["working-directory"]).toBe("${{ inputs.project }}");
    const project = path.join(dir, action.inputs!["project"]!.default!);
    const listed = bash(listStep.run!, project, { GITHUB_OUTPUT: output });
    expect(listed.stderr).toBe("");
    expect(listed.status).toBe(0);
    const line = fs.readFileSync(output, "utf8").trim();
    expect(line).toMatch(/^sources=/);
    sources = JSON.parse(line.slice("sources=".length)) as AppSource[];
  });

  it("lists, from the catalog of the checkout, the new app's repository with the others", () => {
    const catalog = parse(fs.readFileSync(path.join(dir, "launchpad", "Pulumi.yaml"), "utf8")).config[
      "launchpad:apps"
    ].value as Record<string, { repository: { owner: string; name: string } }>;
    const extra = catalog[EXTRA]!.repository;
    expect(sources).toContainEqual({ repository: `${extra.owner}/${extra.name}`, path: extra.name });
    expect(sources.length).toBeGreaterThan(1);
  });

  it("checks each out next to the project, on the branch asked, with no credential left behind", () => {
    const server = path.join(dir, "server");
    for (const s of sources) serveRepository(server, s.repository);
    const run = (ref: string) =>
      bash(checkoutStep.run!, dir, {
        SOURCES: JSON.stringify(sources),
        REF: ref,
        TOKEN,
        SERVER: `file://${server}`,
      });

    const qa = run("qa");
    expect(qa.stderr).toBe("");
    expect(qa.status).toBe(0);
    const encoded = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
    expect(qa.stdout).toContain(`::add-mask::${encoded}`);
    expect(qa.stdout).not.toContain(TOKEN);
    for (const s of sources) {
      const clone = path.join(dir, s.path);
      expect({ source: s.path, branch: fs.readFileSync(path.join(clone, "BRANCH"), "utf8") }).toEqual({
        source: s.path,
        branch: "qa",
      });
      const config = git(clone, "config", "--list", "--local");
      expect(config).not.toContain(TOKEN);
      expect(config).not.toContain(encoded);
      expect(config).not.toContain("extraheader");
    }

    for (const s of sources) fs.rmSync(path.join(dir, s.path), { recursive: true });
    expect(run("").status).toBe(0);
    for (const s of sources) expect(fs.readFileSync(path.join(dir, s.path, "BRANCH"), "utf8")).toBe("main");
  });
});
