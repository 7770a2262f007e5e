import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./support";

// Checks of the commands the workflows and the runbooks run, against what exists in the repository:
// `launchpad` subcommands and flags (asked of the CLI itself), npm scripts, files.

const BIN = path.join(ROOT, "bin", "launchpad.js");

/** Splits a command line into words: quotes respected, a variable or <placeholder> stands for "dev". */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(m[1] ?? m[2] ?? m[3]!);
  }
  return words.map((w) => (/^\$\{?\w+\}?$|^<[\w-]+>$/.test(w) ? "dev" : w));
}

/** The simple commands of a script: continuation lines joined, comments dropped, split at pipes and lists, redirections removed. */
export function simpleCommands(script: string): string[][] {
  const joined = script.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, ""))
    .join("\n")
    .split(/\n|\|\||&&|[|;]/)
    .map((part) => part.replace(/\d?>>?\s*\S+/g, "").trim())
    .filter((part) => part && !part.startsWith("#"))
    .map(shellWords);
}

/** Arguments after `launchpad` (or `npx launchpad`) in each command of a script. */
export function launchpadInvocations(script: string): string[][] {
  const out: string[][] = [];
  for (const words of simpleCommands(script)) {
    const at = words[0] === "npx" && words[1] === "launchpad" ? 2 : words[0] === "launchpad" ? 1 : -1;
    if (at > 0) out.push(words.slice(at));
  }
  return out;
}

const helpCache = new Map<string, { code: number | null; text: string }>();

function help(command: string): { code: number | null; text: string } {
  let cached = helpCache.get(command);
  if (!cached) {
    const run = spawnSync(process.execPath, [BIN, command, "--help"], { cwd: ROOT, encoding: "utf8" });
    cached = { code: run.status, text: run.stdout };
    helpCache.set(command, cached);
  }
  return cached;
}

/** Problems with one `launchpad` invocation: unknown command, flag or value, refused by the CLI's parser. */
export function launchpadProblems(args: string[]): string[] {
  const [command, ...rest] = args;
  if (!command) return ["launchpad without a command"];
  const usage = help(command);
  if (usage.code !== 0) return [`launchpad ${command}: not a command of the CLI`];
  const problems: string[] = [];
  const synopsis = usage.text.split("\n\n")[0]!;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (!flag.startsWith("--")) continue;
    const declared = new RegExp(`\\[?${flag}(?: ([\\w|-]+))?\\]?`).exec(synopsis);
    if (!declared) {
      problems.push(`launchpad ${command}: no option ${flag}`);
      continue;
    }
    const choices = declared[1]?.includes("|") ? declared[1].split("|") : undefined;
    const value = rest[i + 1];
    if (choices && value !== undefined && !value.startsWith("--")) {
      const values = value.split(",");
      if (!values.every((v) => choices.includes(v)))
        problems.push(`launchpad ${command} ${flag}: ${value} is not one of ${choices.join("|")}`);
    }
  }
  // The CLI's own parser (strict) accepts the command line: every flag exists and takes what it is given.
  const run = spawnSync(process.execPath, [BIN, command, ...rest, "--help"], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) problems.push(`launchpad ${args.join(" ")}: ${run.stderr.split("\n")[0]}`);
  return problems;
}

const NPM_BUILTINS = new Set(["ci", "test", "start", "install"]);

/** Problems with the npm commands of a script: scripts that package.json does not define. */
export function npmProblems(script: string): string[] {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: object }
  ).scripts;
  const problems: string[] = [];
  for (const words of simpleCommands(script)) {
    if (words[0] !== "npm") continue;
    if (words[1] === "run") {
      if (!(words[2]! in scripts)) problems.push(`npm run ${words[2]}: no such script in package.json`);
    } else if (!NPM_BUILTINS.has(words[1] ?? "")) problems.push(`npm ${words[1]}: not expected`);
    if ((words[1] === "test" || words[1] === "start") && !(words[1] in scripts))
      problems.push(`npm ${words[1]}: no such script in package.json`);
  }
  return problems;
}
