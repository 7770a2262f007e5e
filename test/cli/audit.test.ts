import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadExemptions, TODAY_VARIABLE } from "../../policies/exemptions";
import { copyProject, editFile } from "../support/config-fixtures";
import { sarifValidator } from "../support/sarif-schema";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

function launchpad(
  args: string[],
  cwd?: string,
  env: NodeJS.ProcessEnv = process.env,
): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A project whose prod stack lost its deploy reviewers and its data protection. */
function weakenedProd(): string {
  const dir = copyProject();
  editFile(dir, "Pulumi.prod.yaml", "protectData: true", "protectData: false");
  editFile(
    dir,
    "Pulumi.prod.yaml",
    "      teams: [{ name: platform-leads, id: 9100001 }]\n",
    "      teams: []\n",
  );
  return dir;
}

describe("launchpad audit", () => {
  it("passes on the shipped prod stack (exit 0) with a JSON report", () => {
    const { code, stdout } = launchpad(["audit", "--stack", "prod", "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.stacks.map((s: { stack: string }) => s.stack)).toEqual(["prod"]);
    expect(report.summary.mandatory).toBe(0);
  });

  it("judges the shipped exemptions on the day LAUNCHPAD_TODAY names: through their expiry, not after", () => {
    const prod = loadExemptions().filter((e) => (e.environments as readonly string[]).includes("prod"));
    expect(prod.length).toBeGreaterThan(0);
    const lastDay = prod.map((e) => e.expires).sort()[0]!;
    const dayAfter = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    const holding = launchpad(["audit", "--stack", "prod", "--format", "json"], undefined, {
      ...process.env,
      [TODAY_VARIABLE]: lastDay,
    });
    expect(holding.code).toBe(0);
    expect(JSON.parse(holding.stdout).summary).toMatchObject({ mandatory: 0, exempt: expect.any(Number) });
    expect(JSON.parse(holding.stdout).summary.exempt).toBeGreaterThan(0);

    const ended = launchpad(["audit", "--stack", "prod", "--format", "json"], undefined, {
      ...process.env,
      [TODAY_VARIABLE]: dayAfter,
    });
    expect(ended.code).toBe(1);
    const report = JSON.parse(ended.stdout);
    expect(report.summary.exempt).toBe(0);
    expect(report.stacks[0].violations).toContainEqual(
      expect.objectContaining({
        policy: "accountable-exemptions",
        enforcement: "mandatory",
        message: expect.stringContaining(`expired on ${lastDay}`),
      }),
    );
  });

  it("exits 2 naming LAUNCHPAD_TODAY when it is not a real day", () => {
    const { code, stdout, stderr } = launchpad(["audit", "--stack", "prod"], undefined, {
      ...process.env,
      [TODAY_VARIABLE]: "2027-02-29",
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `environment (stack prod): ${TODAY_VARIABLE}: expected a real calendar day YYYY-MM-DD`,
    );
  });

  it("exits 1 on injected mandatory violations, writes valid SARIF to --output", () => {
    const dir = weakenedProd();
    const out = path.join(dir, "audit.sarif");
    const { code, stdout, stderr } = launchpad(
      ["audit", "--stack", "prod", "--format", "sarif", "--output", out],
      dir,
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/launchpad audit: [1-9]\d* mandatory, \d+ advisory, \d+ exempt; report in /);
    const sarif = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(sarifValidator()(sarif)).toEqual([]);
    const failing = sarif.runs[0].results
      .filter((r: { level: string }) => r.level === "error")
      .map((r: { ruleId: string }) => r.ruleId);
    expect(failing).toEqual(expect.arrayContaining(["deploy-gating", "data-protection"]));
  });

  it("creates the report's missing folder for --output", () => {
    const dir = copyProject();
    const out = path.join(dir, "audit-report", "audit.md");
    const { code, stderr } = launchpad(
      ["audit", "--stack", "dev", "--format", "markdown", "--output", out],
      dir,
    );
    expect(stderr).toMatch(/report in /);
    expect(code).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^#+ /m);
  });

  it("exits 2 before evaluating when --output names a folder, and writes nothing", () => {
    const dir = copyProject();
    // An invalid stack too: the evaluation would report it, had it started.
    editFile(dir, "Pulumi.prod.yaml", "firewallAction: deny", "firewallAction: block");
    const before = fs.readdirSync(dir).sort();
    const { code, stdout, stderr } = launchpad(["audit", "--output", dir], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`launchpad audit: --output: ${dir} is a folder; give the report's file name`);
    expect(stderr).not.toContain("firewallAction");
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it("shows the failures in the table's checklist matrix", () => {
    const { code, stdout } = launchpad(["audit", "--stack", "prod"], weakenedProd());
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[mandatory\] deploy-gating/);
    expect(stdout).toMatch(/11\s+Deploy gating\s+FAIL/);
    expect(stdout).toMatch(/12\s+Data protection\s+FAIL/);
  });

  it("exits 2 with the key path on invalid config", () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.prod.yaml", "firewallAction: deny", "firewallAction: block");
    const { code, stderr } = launchpad(["audit", "--stack", "prod"], dir);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'Pulumi.prod.yaml: launchpad:environment.firewallAction: expected one of "log", "deny", got "block"',
    );
  });

  it("exits 2 on bad usage and answers --help", () => {
    const bad = launchpad(["audit", "--fail-on", "never"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on: expected mandatory or advisory, got "never"');
    expect(launchpad(["audit", "--format", "html"]).code).toBe(2);
    const help = launchpad(["audit", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: launchpad audit");
  });
});
