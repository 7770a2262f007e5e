import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "launchpad.js");

function run(cwd: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.invalid",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.invalid",
    },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/**
 * A git repository holding a copy of this project (its tracked files as they are on disk: code and
 * config), with the installed packages linked in, and one commit, `base`.
 */
export function scratchRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-scratch-"));
  for (const file of run(ROOT, "git", ["ls-files", "-z"]).split("\0").filter(Boolean)) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules\n");
  run(dir, "git", ["init", "-q", "-b", "main"]);
  commitAll(dir, "base");
  run(dir, "git", ["tag", "base"]);
  return dir;
}

export function commitAll(dir: string, message: string): void {
  run(dir, "git", ["add", "-A"]);
  run(dir, "git", ["commit", "-q", "--allow-empty", "-m", message]);
}

/** `git status --porcelain` and the index entries: what a diff must leave alone. */
export function gitState(dir: string): string {
  return run(dir, "git", ["status", "--porcelain"]) + run(dir, "git", ["ls-files", "-s"]);
}

/** Edits a YAML file of the repository as a document (comments and layout kept). */
export function editYaml(dir: string, file: string, edit: (doc: Document) => void): void {
  const full = path.join(dir, file);
  const doc = parseDocument(fs.readFileSync(full, "utf8"));
  edit(doc);
  fs.writeFileSync(full, doc.toString());
}

/** The CLI run in the repository, output piped. */
export function launchpadIn(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const clean = { ...process.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR", "COLUMNS"]) delete clean[name];
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...clean, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
