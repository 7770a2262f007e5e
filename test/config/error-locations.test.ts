import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue, readLayeredConfig, validatePlatform } from "../../infra/config";
import { describeFailures } from "../../tools/cli/report-failures";
import { appsOf, copyProject, editFile } from "../support/config-fixtures";
import { alertsSchema } from "../../infra/config/schema/alerts";
import { completeConfig, overridesOf, problems } from "./support";

/** Apps whose frontend wires the Supabase URL, which each stack sets in its overrides. */
function supabaseWired(stack: string): string[] {
  const platform = validatePlatform(stack, completeConfig(stack));
  return Object.entries(platform.apps)
    .filter(([, app]) =>
      Object.values(app.frontend?.publicEnv ?? {}).some(
        (v) => typeof v === "object" && v.from === "supabaseUrl",
      ),
    )
    .map(([name]) => name);
}

describe("an override-dependent rule points at the stack's overrides", () => {
  it.each(["dev", "qa", "prod"])(
    "%s: a missing Supabase URL is located under launchpad:overrides",
    (stack) => {
      const apps = supabaseWired(stack);
      expect(apps.length).toBeGreaterThan(0);
      const config = completeConfig(stack);
      for (const app of apps) {
        appsOf(config)[app]!["database"].supabaseUrl = undefined;
        delete overridesOf(config)[app]?.["database"]?.supabaseUrl;
      }
      const found = problems(stack, config);
      for (const app of apps) {
        expect(found).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^Pulumi\\.${stack}\\.yaml: launchpad:overrides\\.${app}\\.database\\.supabaseUrl: not set for this stack, but frontend\\.publicEnv\\.\\w+ is wired from it \\(Pulumi\\.yaml: launchpad:apps\\.${app}\\.frontend\\.publicEnv\\.\\w+\\)$`,
            ),
          ),
        );
      }
    },
  );

  it("names the stack that found a catalog problem, once for all the stacks that share it", () => {
    const issue = { file: "Pulumi.yaml", key: "launchpad:apps.x.domain", message: "bad" };
    const outcomes = (["dev", "qa", "prod"] as const).map((stack) => ({
      stack,
      ok: false as const,
      configIssues: [{ ...issue, stack }],
    }));
    expect(describeFailures(outcomes).configErrors).toEqual([
      "Pulumi.yaml (stacks dev, qa, prod): launchpad:apps.x.domain: bad",
    ]);
    expect(describeFailures(outcomes.slice(1, 2)).configErrors).toEqual([
      "Pulumi.yaml (stack qa): launchpad:apps.x.domain: bad",
    ]);
    // A stack's own file names its stack already.
    expect(formatIssue({ file: "Pulumi.qa.yaml", key: "k", message: "m", stack: "qa" })).toBe(
      "Pulumi.qa.yaml: k: m",
    );
  });

  it("every issue the loader raises carries its stack", () => {
    const config = completeConfig("qa");
    (config.values["launchpad:environment"] as Record<string, unknown>)["policyEnforcement"] = "strict";
    try {
      validatePlatform("qa", config);
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.stack)).toEqual(["qa"]);
    }
  });
});

describe("a YAML syntax error is reported once, with its line", () => {
  function yamlIssues(edit: (dir: string) => void) {
    const dir = copyProject();
    edit(dir);
    try {
      readLayeredConfig("dev", dir);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
      throw error;
    }
  }

  it("an indentation error in the catalog: one problem, at the line of the mistake", () => {
    let line = 0;
    const issues = yamlIssues((dir) => {
      const file = path.join(dir, "Pulumi.yaml");
      const lines = fs.readFileSync(file, "utf8").split("\n");
      // The first key of the first app's block, shifted one column left.
      const app = Object.keys(appsOf(completeConfig("dev")))[0]!;
      const at = lines.findIndex((l) => l === `      ${app}:`) + 1;
      lines[at] = lines[at]!.slice(1);
      line = at + 1;
      fs.writeFileSync(file, lines.join("\n"));
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: "Pulumi.yaml",
      key: expect.stringMatching(new RegExp(`^line ${line}, column \\d+$`)),
      stack: "dev",
    });
  });

  it("an unclosed flow map in a stack file: one problem", () => {
    const issues = yamlIssues((dir) => editFile(dir, "Pulumi.dev.yaml", "defaults: {", "defaults: {{"));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.file).toBe("Pulumi.dev.yaml");
    expect(issues[0]!.key).toMatch(/^line \d+, column \d+$/);
  });

  it("duplicate keys are each reported: every one is a real mistake", () => {
    const app = Object.keys(appsOf(completeConfig("dev")))[0]!;
    const issues = yamlIssues((dir) =>
      editFile(
        dir,
        "Pulumi.yaml",
        `      ${app}:\n`,
        `      ${app}:\n        domain: a.app\n        description: x\n`,
      ),
    );
    expect(issues.map((i) => i.message).sort()).toEqual([
      'key "description" is declared twice (duplicate)',
      'key "domain" is declared twice (duplicate)',
    ]);
  });
});

describe("unknown keys suggest the nearest valid key", () => {
  it.each([
    [["services", "api", "healthCheck"], "pth", "path"],
    [["services", "api"], "memoryMB", "memoryMb"],
    [["alerts"], "chanel", "channel"],
    [[], "domian", "domain"],
    [[], "frontnd", "frontend"],
  ] as const)("under %j, %s → %s", (at, wrong, right) => {
    const config = completeConfig("prod");
    const app = Object.entries(appsOf(config)).find(([, spec]) => {
      let node: any = spec;
      for (const part of at) node = node?.[part];
      return node !== undefined && typeof node === "object";
    })![0];
    let node: any = appsOf(config)[app];
    for (const part of at) node = node[part];
    node[wrong] = node[right] ?? "x";
    const where = ["launchpad:apps", app, ...at, wrong].join(".");
    expect(problems("prod", config)).toContain(
      `Pulumi.yaml: ${where}: unknown key; did you mean "${right}"?`,
    );
  });

  it("inside a discriminated union, from the keys of the chosen kind", () => {
    const config = completeConfig("prod");
    const [app, job] = Object.entries(appsOf(config)).flatMap(([name, spec]) =>
      Object.entries((spec["jobs"] ?? {}) as Record<string, any>)
        .filter(([, j]) => j.action.kind === "purge")
        .map(([j]) => [name, j] as const),
    )[0]!;
    appsOf(config)[app]!["jobs"][job].action.retentionDay = 30;
    expect(problems("prod", config)).toContain(
      `Pulumi.yaml: launchpad:apps.${app}.jobs.${job}.action.retentionDay: unknown key; did you mean "retentionDays"?`,
    );
  });

  it("lists the valid keys when nothing is close", () => {
    const config = completeConfig("prod");
    const app = Object.keys(appsOf(config))[0]!;
    appsOf(config)[app]!["alerts"].zzzzzz = 1;
    expect(problems("prod", config)).toContain(
      `Pulumi.yaml: launchpad:apps.${app}.alerts.zzzzzz: unknown key; expected one of ${Object.keys(alertsSchema.shape).join(", ")}`,
    );
  });

  it("a top-level key and an override's app", () => {
    const config = completeConfig("prod");
    const app = Object.keys(appsOf(config))[0]!;
    const typo = `${app.slice(0, -1)}`;
    config.values["launchpad:overide"] = {};
    config.sources["launchpad:overide"] = "Pulumi.prod.yaml";
    overridesOf(config)[typo] = {};
    const found = problems("prod", config);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^Pulumi\.prod\.yaml: launchpad:overide: unknown key; did you mean "launchpad:overrides"\?/,
      ),
    );
    expect(found).toContain(
      `Pulumi.prod.yaml: launchpad:overrides.${typo}: the catalog declares no app "${typo}"; did you mean "${app}"?`,
    );
  });
});
