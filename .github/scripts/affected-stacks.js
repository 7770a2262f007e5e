#!/usr/bin/env node
// The stacks a change affects, for the pull-request previews. Reads the changed paths (one per line)
// on stdin and prints a JSON array of stack names, in the order of STACK_ORDER; with GITHUB_OUTPUT
// set, also writes `stacks=<json>` there for the matrix of the preview job.
//
//   Pulumi.<stack>.yaml, policies/config/<stack>.json      → that stack
//   the program, the catalog, the pack, the dependencies     → every stack
//   anything else (docs, tests, workflows, the offline CLI)  → none
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const STACK_ORDER = ["dev", "qa", "prod"];
const WHOLE_PROGRAM = [
  /^Pulumi\.yaml$/,
  /^infra\//,
  /^policies\//,
  /^package(-lock)?\.json$/,
  /^tsconfig\.json$/,
];

/** The stacks of the project: one per `Pulumi.<stack>.yaml` in `projectDir`. */
function projectStacks(projectDir) {
  const stacks = fs
    .readdirSync(projectDir)
    .map((file) => /^Pulumi\.([\w-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack) => stack !== undefined);
  const rank = (stack) => (STACK_ORDER.includes(stack) ? STACK_ORDER.indexOf(stack) : STACK_ORDER.length);
  return stacks.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The stacks affected by `paths`, among `stacks`, in their order. */
function affectedStacks(paths, stacks) {
  const hit = new Set();
  for (const file of paths) {
    const own = /^Pulumi\.([\w-]+)\.yaml$/.exec(file) ?? /^policies\/config\/([\w-]+)\.json$/.exec(file);
    if (own && stacks.includes(own[1])) hit.add(own[1]);
    else if (WHOLE_PROGRAM.some((pattern) => pattern.test(file))) stacks.forEach((s) => hit.add(s));
  }
  return stacks.filter((s) => hit.has(s));
}

module.exports = { affectedStacks, projectStacks };

if (require.main === module) {
  const paths = fs
    .readFileSync(0, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const stacks = affectedStacks(paths, projectStacks(path.resolve(process.argv[2] ?? ".")));
  const json = JSON.stringify(stacks);
  process.stdout.write(`${json}\n`);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `stacks=${json}\n`);
}
