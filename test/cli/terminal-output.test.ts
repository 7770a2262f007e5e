import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readLayeredConfig } from "../../infra/config";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");
const ESC = "\u001b[";

/** The CLI with its output piped (not a terminal), under the given environment additions. */
function launchpad(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR", "COLUMNS", "CI"]) delete clean[name];
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...clean, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const APPS = Object.keys(readLayeredConfig("dev").values["launchpad:apps"] as Record<string, unknown>);
const [FIRST, SECOND] = [APPS[0]!, APPS[APPS.length - 1]!];

describe("colour", () => {
  it("is off for a pipe, on with FORCE_COLOR, off again with NO_COLOR", () => {
    expect(launchpad(["plan", "--stack", "dev"]).stdout).not.toContain(ESC);
    const forced = launchpad(["plan", "--stack", "dev"], { FORCE_COLOR: "1" });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`${ESC}1mStack dev:`);
    expect(launchpad(["plan", "--stack", "dev"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toContain(
      ESC,
    );
  });

  it("never reaches JSON", () => {
    const json = launchpad(["plan", "--stack", "dev", "--format", "json"], { FORCE_COLOR: "1" });
    expect(json.stdout).not.toContain(ESC);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});

describe("width", () => {
  it("fits audit and plan tables to the width, with short names; JSON and SARIF keep whole URNs", () => {
    const audit = launchpad(["audit", "--stack", "all"], { COLUMNS: "80", FORCE_COLOR: "1" });
    const plain = audit.stdout.replace(/\u001b\[\d+m/g, "");
    expect(plain).toMatch(/\[(mandatory|advisory|exempt)\]/);
    expect(plain).not.toContain("urn:pulumi:");
    for (const line of plain.split("\n")) expect(line.length).toBeLessThanOrEqual(80);

    const plan = launchpad(["plan", "--stack", "dev"], { COLUMNS: "60" });
    expect(plan.stdout).toMatch(/─ \S+ {2}\(launchpad:App\)/);
    for (const line of plan.stdout.split("\n")) expect([...line].length).toBeLessThanOrEqual(60);

    const json = launchpad(["audit", "--stack", "prod", "--format", "json"], { COLUMNS: "60" });
    const violations = (JSON.parse(json.stdout) as { stacks: Array<{ violations: Array<{ urn: string }> }> })
      .stacks[0]!.violations;
    for (const v of violations) expect(v.urn).toMatch(/^urn:pulumi:prod::launchpad::/);
    const sarif = launchpad(["audit", "--stack", "prod", "--format", "sarif"], { COLUMNS: "60" });
    expect(sarif.stdout).toContain('"urn:pulumi:prod::launchpad::');
  });
});

describe("usage errors", () => {
  it.each([
    [["plan", "--stack", "staging"], "launchpad plan --help"],
    [["plan", "--stakc", "dev"], "launchpad plan --help"],
    [["audit", "--fail-on", "never"], "launchpad audit --help"],
    [["sql"], "launchpad sql --help"],
    [["deploy"], "launchpad --help"],
    [[], "launchpad --help"],
  ])("%j is one line and a pointer to --help", (args, help) => {
    const { code, stdout, stderr } = launchpad(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`Run \`${help}\` for usage.`);
  });

  it("refuses a single-valued flag given twice", () => {
    for (const args of [
      ["plan", "--stack", "dev", "--stack", "qa"],
      ["audit", "--format", "json", "--format", "sarif"],
      ["sql", "--stack", "dev", "--stack", "qa"],
    ]) {
      const { code, stderr } = launchpad(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /^launchpad \w+: --(stack|format) given more than once; it takes a single value\n/,
      );
    }
  });

  it("names an unknown command's nearest command", () => {
    expect(launchpad(["plna"]).stderr).toContain('unknown command "plna" (did you mean "plan"?)');
  });
});

describe("--app", () => {
  it("limits plan to the named apps, repeatable", () => {
    const { code, stdout } = launchpad([
      "plan",
      "--stack",
      "dev",
      "--format",
      "json",
      "--app",
      FIRST,
      "--app",
      SECOND,
    ]);
    expect(code).toBe(0);
    const stack = (JSON.parse(stdout) as { stacks: Array<{ resources: any[]; outputs: any }> }).stacks[0]!;
    const apps = stack.resources.filter((r) => r.type === "launchpad:index:App").map((r) => r.name);
    expect(apps.sort()).toEqual([FIRST, SECOND].sort());
    const others = APPS.filter((a) => a !== FIRST && a !== SECOND);
    const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
    const appOf = (r: any): string | undefined =>
      r.type === "launchpad:index:App"
        ? r.name
        : byUrn.has(r.parent)
          ? appOf(byUrn.get(r.parent))
          : undefined;
    for (const resource of stack.resources) {
      if (resource.type.startsWith("pulumi:providers:")) continue;
      expect([FIRST, SECOND]).toContain(appOf(resource));
    }
    expect(Object.keys(stack.outputs["apps"]).sort()).toEqual([FIRST, SECOND].sort());
    for (const other of others) expect(stdout).not.toContain(`"name": "${other}"`);
  });

  it("limits audit findings to the named app's resources", () => {
    const whole = launchpad(["audit", "--stack", "prod", "--format", "json"]);
    const one = launchpad(["audit", "--stack", "prod", "--format", "json", "--app", FIRST]);
    type Report = {
      stacks: Array<{ resources: number; violations: Array<{ urn: string }>; exemptions: unknown[] }>;
    };
    const all = (JSON.parse(whole.stdout) as Report).stacks[0]!;
    const mine = (JSON.parse(one.stdout) as Report).stacks[0]!;
    expect(mine.resources).toBeLessThan(all.resources);
    const plan = launchpad(["plan", "--stack", "prod", "--format", "json", "--app", FIRST]);
    const urns = new Set(
      (
        JSON.parse(plan.stdout) as { stacks: Array<{ resources: Array<{ urn: string }> }> }
      ).stacks[0]!.resources.map((r) => r.urn),
    );
    for (const v of mine.violations) expect(urns.has(v.urn)).toBe(true);
    expect(mine.violations).toEqual(all.violations.filter((v) => urns.has(v.urn)));
  });

  it("exits 2 naming an unknown app, with the nearest name", () => {
    for (const command of ["plan", "audit"]) {
      const { code, stdout, stderr } = launchpad([command, "--stack", "dev", "--app", `${FIRST}x`]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain(`--app: the catalog declares no app "${FIRST}x" (did you mean "${FIRST}"?)`);
    }
    const sql = launchpad(["sql", "--stack", "dev", "--app", FIRST, "--app", "nope"]);
    expect(sql.code).toBe(2);
    expect(sql.stderr).toContain('--app: the catalog declares no app "nope"');
  });

  it("takes several apps on sql", () => {
    const withDatabase = APPS.filter((app) => {
      const one = launchpad(["sql", "--stack", "dev", "--app", app]);
      return one.code === 0;
    }).slice(0, 2);
    const { code, stdout } = launchpad([
      "sql",
      "--stack",
      "dev",
      ...withDatabase.flatMap((a) => ["--app", a]),
    ]);
    expect(code).toBe(0);
    const shown = [...stdout.matchAll(/^-- launchpad sql: stack dev, app (\S+),/gm)].map((m) => m[1]);
    expect(shown).toEqual(withDatabase);
  });
});
