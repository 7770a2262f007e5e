import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareReportFile, ReportFileError, writeReportFile } from "../../tools/cli/report-file";
import { UsageError } from "../../tools/cli/usage";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-report-file-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The message of the usage error `prepareReportFile` throws for FILE. */
function refusal(file: string): string {
  try {
    prepareReportFile(file, "usage");
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe("checking --output FILE before the evaluation", () => {
  it("accepts a file in a folder yet to be created, and creates nothing", () => {
    const file = path.join(dir, "audit-report", "nested", "audit.sarif");
    expect(prepareReportFile(file, "usage")).toBe(file);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("refuses a folder, naming the option and the path", () => {
    expect(refusal(dir)).toBe(`--output: ${dir} is a folder; give the report's file name`);
  });

  it("refuses a file under a file, naming the file in the way", () => {
    fs.writeFileSync(path.join(dir, "notes.txt"), "");
    const message = refusal(path.join(dir, "notes.txt", "audit.json"));
    expect(message).toBe(
      `--output: cannot write into ${path.join(dir, "notes.txt")}: ${path.join(dir, "notes.txt")} is a file, not a folder`,
    );
  });

  it("refuses an empty file name", () => {
    expect(refusal("")).toBe("--output: expected a file name, got an empty one");
  });
});

describe("writing the report", () => {
  it("creates the missing folders and writes the whole report, with nothing left aside", () => {
    const file = path.join(dir, "audit-report", "audit.md");
    writeReportFile(file, "# Audit\n");
    expect(fs.readFileSync(file, "utf8")).toBe("# Audit\n");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["audit.md"]);
  });

  it("leaves the previous report as it was when the new one cannot be written", () => {
    const file = path.join(dir, "audit.json");
    fs.writeFileSync(file, "previous");
    // Something stands where the new report is written aside: the write fails.
    fs.mkdirSync(`${file}.${process.pid}.partial`);
    expect(() => writeReportFile(file, "new")).toThrow(ReportFileError);
    expect(() => writeReportFile(file, "new")).toThrow(`--output: cannot write ${file} (EISDIR)`);
    expect(fs.readFileSync(file, "utf8")).toBe("previous");
  });
});
