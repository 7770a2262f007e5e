import * as fs from "node:fs";
import * as path from "node:path";
import type { CliIO } from "./run-stacks";
import { UsageError } from "./usage";

/** Why a report could not be written: the command says so and exits 2, as for other usage errors. */
export class ReportFileError extends Error {
  override name = "ReportFileError";
}

function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

/** The folder itself, or the closest of its parents that exists: where a write would start. */
function closestExisting(folder: string): string {
  let current = folder;
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/**
 * Checks, before any stack is evaluated, that `--output FILE` can take the report: FILE is not a
 * folder, and its folder exists and can be written, or can be created (like the report folder of a
 * CI job). Nothing is created yet: a run that fails leaves no trace. Returns FILE's absolute path.
 */
export function prepareReportFile(file: string, usage: string): string {
  if (file === "") throw new UsageError("--output: expected a file name, got an empty one", usage);
  const target = path.resolve(file);
  if (isFolder(target)) {
    throw new UsageError(`--output: ${file} is a folder; give the report's file name`, usage);
  }
  const existing = closestExisting(path.dirname(target));
  const inFolder = isFolder(existing);
  if (!inFolder || !writable(existing)) {
    const problem = inFolder ? "is not writable" : "is a file, not a folder";
    throw new UsageError(`--output: cannot write into ${path.dirname(file)}: ${existing} ${problem}`, usage);
  }
  return target;
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function writable(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the report whole: aside, then renamed over FILE, so a reader (a code-scanning upload)
 * never sees half a report and a failed write leaves the previous report as it was.
 */
export function writeReportFile(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  } catch (error) {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // Whatever stands at that name is not ours to remove.
    }
    throw new ReportFileError(`--output: cannot write ${file} (${reason(error)})`);
  }
}

/**
 * Hands a command's report to FILE (checked beforehand by `prepareReportFile`), or to standard output
 * when no FILE was asked for. False, with the reason on stderr, when FILE could not be written.
 */
export function deliverReport(io: CliIO, command: string, file: string | undefined, text: string): boolean {
  if (file === undefined) {
    io.stdout(text);
    return true;
  }
  try {
    writeReportFile(file, text);
    return true;
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    io.stderr(`launchpad ${command}: ${error.message}\n`);
    return false;
  }
}
