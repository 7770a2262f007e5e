/**
 * Config mistakes through the real CLI: exit 2, no plan, and a message naming the file (so the
 * stack) and the key path where the fix goes. Apps are picked from the catalog, not by name.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readLayeredConfig, requiredSecrets, validatePlatform } from "../../infra/config";
import { copyProject, editFile } from "../support/config-fixtures";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

function launchpad(args: string[], dir: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args, "--cwd", dir], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const catalog = (stack = "dev") => validatePlatform(stack, readLayeredConfig(stack));

/** Problem lines of the CLI's config error report. */
const problemLines = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("  "));

describe("config errors through `launchpad plan`", () => {
  it("a Supabase URL missing from one stack: the stack file's overrides, named with --stack all", () => {
    const dir = copyProject();
    const platform = catalog("qa");
    const app = Object.entries(platform.apps).find(([, a]) =>
      Object.values(a.frontend?.publicEnv ?? {}).some(
        (v) => typeof v === "object" && v.from === "supabaseUrl",
      ),
    )![0];
    const url = platform.apps[app]!.database!.supabaseUrl!;
    editFile(dir, "Pulumi.qa.yaml", `database: { supabaseUrl: "${url}" }`, "database: {}");
    const { code, stdout, stderr } = launchpad(["plan", "--stack", "all"], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(problemLines(stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ {2}Pulumi\\.qa\\.yaml: launchpad:overrides\\.${app}\\.database\\.supabaseUrl: not set for this stack`,
        ),
      ),
    ]);
  });

  it("a YAML indentation error: one problem with its line, once for every stack", () => {
    const dir = copyProject();
    const app = Object.keys(catalog().apps)[1]!;
    const file = path.join(dir, "Pulumi.yaml");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => l === `      ${app}:`) + 1;
    lines[at] = lines[at]!.slice(1);
    fs.writeFileSync(file, lines.join("\n"));
    const { code, stderr } = launchpad(["plan", "--stack", "all"], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("invalid configuration (1 problem)");
    expect(problemLines(stderr)).toEqual([
      expect.stringMatching(
        new RegExp(`^ {2}Pulumi\\.yaml \\(stacks dev, qa, prod\\): line ${at + 1}, column \\d+: `),
      ),
    ]);
  });

  it("an unknown key: did you mean", () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.dev.yaml", "logRetentionDays:", "logRetentionDay:");
    const { code, stderr } = launchpad(["plan", "--stack", "dev"], dir);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'Pulumi.dev.yaml: launchpad:environment.logRetentionDay: unknown key; did you mean "logRetentionDays"?',
    );
  });

  it("a cron schedule pg_cron refuses", () => {
    const dir = copyProject();
    const [app, spec] = Object.entries(catalog().apps).find(([, a]) => Object.keys(a.jobs).length > 0)!;
    const [job, { schedule }] = Object.entries(spec.jobs)[0]!;
    const file = path.join(dir, "Pulumi.yaml");
    const text = fs.readFileSync(file, "utf8");
    // The job's own schedule line, inside its app's block.
    const start = text.indexOf(`      ${app}:\n`);
    const line = text.indexOf(`schedule: "${schedule}"`, text.indexOf(`${job}:`, start));
    fs.writeFileSync(
      file,
      `${text.slice(0, line)}schedule: "61 3 * * 0"${text.slice(line + `schedule: "${schedule}"`.length)}`,
    );
    const { code, stdout, stderr } = launchpad(["plan", "--stack", "all"], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `Pulumi.yaml (stacks dev, qa, prod): launchpad:apps.${app}.jobs.${job}.schedule: expected a pg_cron schedule (minute field: 61 is out of range 0–59), got "61 3 * * 0"`,
    );
  });

  it("two apps on one domain", () => {
    const dir = copyProject();
    const [first, second] = Object.entries(catalog().apps);
    editFile(dir, "Pulumi.yaml", `domain: ${second![1].domain}\n`, `domain: ${first![1].domain}\n`);
    const { code, stderr } = launchpad(["plan", "--stack", "dev"], dir);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `Pulumi.yaml (stack dev): launchpad:apps.${second![0]}.domain: hostname "${first![1].domain}" (the domain of app "${second![0]}") is already the domain of app "${first![0]}"`,
    );
  });
});

describe("secrets hygiene through the CLI", () => {
  const PLAIN = "pl41n-t3xt-v4lue";
  /** The first app that needs a secret other than the alerts webhook, and that secret. */
  function secretOf(): { app: string; name: string } {
    for (const [app, spec] of Object.entries(catalog().apps)) {
      const name = [...requiredSecrets(spec).keys()].find((n) => n !== spec.alerts.webhookSecret);
      if (name) return { app, name };
    }
    throw new Error("no app needs a secret");
  }

  function withPlainSecret(): { dir: string; app: string; name: string } {
    const { app, name } = secretOf();
    const dir = copyProject();
    fs.appendFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      `  launchpad:secrets:\n    ${app}:\n      ${name}: ${PLAIN}\n`,
    );
    return { dir, app, name };
  }

  it("plan refuses a plain value under launchpad:secrets, naming the file and key, not the value", () => {
    const { dir, app, name } = withPlainSecret();
    const { code, stdout, stderr } = launchpad(["plan", "--stack", "dev"], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`Pulumi.dev.yaml: launchpad:secrets.${app}.${name}: stored in plain text`);
    expect(stderr + stdout).not.toContain(PLAIN);
  });

  it("audit still evaluates the stack and fails item 2 as mandatory, in the advisory dev stack", () => {
    const { dir, app, name } = withPlainSecret();
    expect(catalog().environment.policyEnforcement).toBe("advisory");
    const { code, stdout } = launchpad(["audit", "--stack", "dev", "--format", "json"], dir);
    expect(code).toBe(1);
    expect(stdout).not.toContain(PLAIN);
    const report = JSON.parse(stdout) as {
      stacks: Array<{ violations: Array<{ policy: string; enforcement: string; message: string }> }>;
    };
    expect(report.stacks[0]!.violations.filter((v) => v.policy === "secrets-encrypted-in-config")).toEqual([
      expect.objectContaining({
        enforcement: "mandatory",
        message: `Pulumi.dev.yaml: launchpad:secrets.${app}.${name} is stored in plain text, not encrypted (secure:)`,
      }),
    ]);
    const markdown = launchpad(["audit", "--stack", "dev", "--format", "markdown"], dir).stdout;
    expect(markdown).toMatch(/^\| 2 \| Secrets in a secrets manager \| ❌ fail \|$/m);
  });

  it("plan refuses a plain env entry named like a declared secret, naming both keys", () => {
    const dir = copyProject();
    const [app, service, secret] = Object.entries(catalog().apps).flatMap(([a, spec]) =>
      Object.entries(spec.services).flatMap(([s, svc]) => svc.secrets.map((x) => [a, s, x] as const)),
    )[0]!;
    const file = path.join(dir, "Pulumi.yaml");
    const text = fs.readFileSync(file, "utf8");
    const block = text.indexOf(`      ${app}:\n`);
    const env = text.indexOf("            env:\n", text.indexOf(`          ${service}:\n`, block));
    const at = env + "            env:\n".length;
    fs.writeFileSync(file, `${text.slice(0, at)}              ${secret}: ${PLAIN}\n${text.slice(at)}`);
    const { code, stderr } = launchpad(["plan", "--stack", "dev"], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `launchpad:apps\\.${app}\\.services\\.${service}\\.env\\.${secret}: "${secret}" is a secret \\(launchpad:apps\\.${app}\\.services\\.${service}\\.secrets\\[\\d+\\]\\)`,
      ),
    );
    expect(stderr).not.toContain(PLAIN);
  });
});
