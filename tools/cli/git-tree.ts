import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A ref that names no commit, or a project folder outside any git repository. */
export class GitRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitRefError";
  }
}

/** A commit's tree written to a temporary folder, read from git's objects alone. */
export interface ExportedTree {
  /** The full commit id the ref names. */
  commit: string;
  /** The repository's root in the exported tree. */
  root: string;
  /** The project folder in the exported tree (the same place as in the work tree). */
  projectDir: string;
  /** Deletes the exported tree. */
  remove(): void;
}

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new GitRefError(`git could not run: ${run.error.message}`);
  return { ok: run.status === 0, out: run.stdout.trim(), err: run.stderr.trim() };
}

/**
 * Writes the tree of the commit `ref` names to a temporary folder with `git archive`: it reads the
 * repository's objects only, so the work tree and the index stay as they are. Throws GitRefError
 * when `projectDir` is not in a git repository or `ref` names no commit.
 */
export function exportCommit(projectDir: string, ref: string): ExportedTree {
  const top = git(projectDir, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new GitRefError(`${projectDir} is not in a git repository`);
  // `--end-of-options`: a ref is never read as an option, whatever it starts with.
  const resolved = git(top.out, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (!resolved.ok || !/^[0-9a-f]{40,64}$/.test(resolved.out)) {
    throw new GitRefError(`no commit "${ref}" in ${top.out}`);
  }
  const commit = resolved.out;
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-diff-"));
  const remove = (): void => fs.rmSync(temp, { recursive: true, force: true });
  try {
    const archive = path.join(temp, "tree.tar");
    const root = path.join(temp, "tree");
    fs.mkdirSync(root);
    const written = git(top.out, ["archive", "--format=tar", `--output=${archive}`, commit]);
    if (!written.ok) throw new GitRefError(`git archive ${commit}: ${written.err}`);
    const tar = spawnSync("tar", ["-xf", archive, "-C", root], { encoding: "utf8" });
    if (tar.status !== 0) throw new GitRefError(`extracting ${commit}: ${tar.stderr || tar.error?.message}`);
    fs.rmSync(archive);
    const inRepo = path.relative(fs.realpathSync(top.out), fs.realpathSync(projectDir));
    return { commit, root, projectDir: path.join(root, inRepo), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
