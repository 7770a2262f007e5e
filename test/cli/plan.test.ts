import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogAppNames } from "../support/catalog";
import { copyProject, editFile } from "../support/config-fixtures";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

function launchpad(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("launchpad plan", () => {
  it("prints the three stacks with the catalog's apps as a tree with counts per provider", () => {
    const { code, stdout } = launchpad(["plan", "--stack", "all"]);
    expect(code).toBe(0);
    for (const stack of ["dev", "qa", "prod"]) {
      const apps = catalogAppNames(stack);
      expect(stdout).toMatch(new RegExp(`^Stack ${stack}: ${apps.length} apps, \\d+ resources$`, "m"));
    }
    for (const app of catalogAppNames()) {
      expect(stdout.match(new RegExp(`─ ${app}  \\(launchpad:index:App\\)`, "g"))).toHaveLength(3);
    }
    expect(stdout).toMatch(/^ {2}Resources per provider: .*launchpad \d+/m);
    expect(stdout).toMatch(
      /^ {2}Resources per provider: .*fly \(dynamic\) \d+.*postgres \(dynamic\) \d+.*vercel \d+/m,
    );
  });

  it("shows each app's alert channel and thresholds, from the stack outputs", () => {
    const { code, stdout } = launchpad(["plan", "--stack", "prod"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "    submissions → #submissions-alerts: failure rate > 5 %, response > 5000 ms, queue > 10\n",
    );
    expect(stdout).toContain(
      "    mona-spark → #mona-spark-alerts: response > 2000 ms, 5xx, database down, resources > 80 %\n",
    );
  });

  it("serializes every dynamic provider when asked, and says so", () => {
    const asked = launchpad(["plan", "--stack", "dev", "--format", "json", "--serialize-providers"]);
    expect(asked.code).toBe(0);
    expect(asked.stderr).toMatch(
      /^dev: the provider code of [1-9]\d* dynamic resources serialized as `pulumi up` ships it, none capturing a secret$/m,
    );
    const plain = launchpad(["plan", "--stack", "dev", "--format", "json"]);
    expect(plain.stderr).not.toContain("serialized");
  });

  it("prints JSON in the documented shape", () => {
    const { code, stdout } = launchpad(["plan", "--stack", "prod", "--format", "json"]);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as {
      stacks: Array<{
        stack: string;
        resources: Array<Record<string, unknown>>;
        outputs: Record<string, any>;
      }>;
    };
    expect(plan.stacks[0]!.outputs["alerts"]["submissions"]).toEqual({
      channel: "submissions-alerts",
      webhookSecret: "DISCORD_WEBHOOK_URL",
      environment: "prod",
      thresholds: { failureRatePercent: 5, responseTimeMs: 5000, queueSize: 10 },
      monitors: {
        checks: ["submissions-monitoring-check-frontend-id"],
        ruleGroups: ["submissions-prod-checks", "submissions-prod-rows"],
      },
    });
    expect(plan.stacks[0]!.outputs["apps"]["mapquiz"]["databaseUrl"]).toBe("[secret]");
    expect(plan.stacks.map((s) => s.stack)).toEqual(["prod"]);
    const app = plan.stacks[0]!.resources.find((r) => r["name"] === "mapquiz");
    expect(app).toEqual({
      type: "launchpad:index:App",
      name: "mapquiz",
      urn: "urn:pulumi:prod::launchpad::pulumi:pulumi:Stack$launchpad:index:App::mapquiz",
      parent: "urn:pulumi:prod::launchpad::pulumi:pulumi:Stack::launchpad-prod",
      secretInputs: [],
    });
  });

  it("exits 2 with the file and key path of a config error, and prints no plan", () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.prod.yaml", "policyEnforcement: mandatory", "policyEnforcement: strict");
    const { code, stdout, stderr } = launchpad(["plan", "--stack", "all"], dir);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      'Pulumi.prod.yaml: launchpad:environment.policyEnforcement: expected one of "advisory", "required-items", "mandatory", got "strict"',
    );
  });

  it("exits 2 on a key declared twice, with its line", () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.yaml", "      mapquiz:\n", "      mapquiz:\n        domain: other.app\n");
    const { code, stderr } = launchpad(["plan", "--stack", "dev", "--cwd", dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /Pulumi\.yaml \(stack dev\): line \d+, column 9: key "domain" is declared twice \(duplicate\)/,
    );
  });

  it("exits 2 and lists the commands for missing secrets with --require-secrets", () => {
    const { code, stderr } = launchpad(["plan", "--stack", "prod", "--require-secrets"]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "pulumi config set --secret --stack prod --path 'launchpad:secrets.mapquiz.BETTER_AUTH_SECRET' <value>",
    );
  });

  it("exits 2 on bad usage, pointing at the command's --help", () => {
    const badStack = launchpad(["plan", "--stack", "staging"]);
    expect(badStack.code).toBe(2);
    expect(badStack.stderr).toContain('--stack: expected one of dev, qa, prod or all, got "staging"');
    expect(badStack.stderr).toContain("Run `launchpad plan --help` for usage.");
    const badFormat = launchpad(["plan", "--format", "yaml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format: expected one of table, json, got "yaml"');
    const unknownOption = launchpad(["plan", "--stacks", "dev"]);
    expect(unknownOption.code).toBe(2);
    expect(launchpad(["deploy"]).code).toBe(2);
  });

  it("answers --help on every command", () => {
    const main = launchpad(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("Usage: launchpad <command>");
    const plan = launchpad(["plan", "--help"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("Usage: launchpad plan");
  });
});
