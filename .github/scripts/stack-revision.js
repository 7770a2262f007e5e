#!/usr/bin/env node
// The commit a stack runs, from its update history: `pulumi stack history --json` on stdin.
//
//   node stack-revision.js current    the commit of the latest successful update
//   node stack-revision.js previous   the commit of the latest successful update made from another
//                                      commit than that, from a clean checkout (a rollback target)
//
// Prints the commit (nothing when there is none) and, with GITHUB_OUTPUT set, writes `sha=<commit>`.
// Pulumi records the checkout's commit of each update in its environment as `git.head`.
"use strict";
const fs = require("node:fs");

/** Successful updates that recorded their commit, newest first. */
function deployedCommits(history) {
  return history
    .filter((u) => u.kind === "update" && u.result === "succeeded" && u.environment?.["git.head"])
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0))
    .map((u) => ({ sha: u.environment["git.head"], dirty: u.environment["git.dirty"] === "true" }));
}

/** The commit `which` (current or previous) names in `history`, or undefined. */
function stackRevision(history, which) {
  const commits = deployedCommits(history);
  const current = commits[0];
  if (which === "current") return current?.sha;
  if (which === "previous") return commits.find((c) => c.sha !== current?.sha && !c.dirty)?.sha;
  throw new Error(`expected "current" or "previous", got "${which}"`);
}

module.exports = { stackRevision };

if (require.main === module) {
  const which = process.argv[2];
  const history = JSON.parse(fs.readFileSync(0, "utf8") || "[]");
  const sha = stackRevision(Array.isArray(history) ? history : [], which) ?? "";
  const latest = deployedCommits(Array.isArray(history) ? history : [])[0];
  if (which === "current" && latest?.dirty)
    process.stderr.write(`::warning::the latest update ran from a checkout with local changes on ${sha}\n`);
  process.stdout.write(`${sha}\n`);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `sha=${sha}\n`);
}
