/**
 * `launchpad import`: the import file for the shipped prod stack, checked against each provider's
 * documented import-id format; bad ids files refused at their key path. The ids file is derived
 * from what the stack declares, so a new app is covered without a change here.
 */

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { evaluateStacks, type RecordedResource, type StackEvaluation } from "../../tools/engine";
import { appOf, IMPORT_RULES } from "../../tools/adopt/import-ids";
import type { PulumiImportFile } from "../../tools/adopt/import-file";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");
const launchpad = (args: string[]) => {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

/**
 * The import-id format each provider documents at the version the npm packages pin (the `## Import`
 * section of each resource's docs: vercel/terraform-provider-vercel docs/resources, integrations/
 * terraform-provider-github website/docs/r, cyrilgdn/terraform-provider-postgresql docs/r).
 */
const TEAM_PROJECT = String.raw`team_[A-Za-z0-9]+/prj_[A-Za-z0-9]+`;
const DOCUMENTED: Record<string, RegExp> = {
  "vercel:index/project:Project": new RegExp(`^${TEAM_PROJECT}$`),
  "vercel:index/projectDomain:ProjectDomain": new RegExp(`^${TEAM_PROJECT}/[a-z0-9.-]+$`),
  "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": new RegExp(
    `^${TEAM_PROJECT}/[A-Za-z0-9]+$`,
  ),
  "vercel:index/projectRoute:ProjectRoute": new RegExp(`^${TEAM_PROJECT}/rt_[A-Za-z0-9]+$`),
  "vercel:index/firewallConfig:FirewallConfig": new RegExp(`^${TEAM_PROJECT}$`),
  "vercel:index/projectDeploymentRetention:ProjectDeploymentRetention": new RegExp(`^${TEAM_PROJECT}$`),
  "github:index/repositoryEnvironment:RepositoryEnvironment": /^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$/,
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy":
    /^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+:\d+$/,
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret":
    /^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+:[A-Z0-9_]+$/,
  "github:index/repositoryRuleset:RepositoryRuleset": /^[A-Za-z0-9._-]+:\d+$/,
  "github:index/repositoryWebhook:RepositoryWebhook": /^[A-Za-z0-9._-]+\/\d+$/,
  "postgresql:index/extension:Extension": /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/,
  "postgresql:index/role:Role": /^[a-z_][a-z0-9_]*$/,
};

let prod: StackEvaluation;
const str = (r: RecordedResource, key: string) => String(r.inputs[key]);

/** An ids file that adopts every importable resource the stack declares, with ids of the right shape. */
function idsForEverything(evaluation: StackEvaluation) {
  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  const apps: Record<string, any> = {};
  let n = 1;
  for (const r of evaluation.resources) {
    if (!IMPORT_RULES.some((rule) => rule.type === r.type)) continue;
    const app = (apps[appOf(r, byUrn)!] ??= {});
    const vercel = () => (app.vercel ??= { project: `prj_p${n++}` });
    const github = () => (app.github ??= {});
    const postgres = () => (app.postgres ??= { database: "postgres" });
    const kind = r.type.split("/")[1]!.split(":")[0]!;
    if (kind === "project") vercel();
    else if (kind === "projectDomain") (vercel().domains ??= []).push(str(r, "domain"));
    else if (kind === "projectEnvironmentVariable") (vercel().envVars ??= {})[str(r, "key")] = `env${n++}`;
    else if (kind === "projectRoute") (vercel().routes ??= {})[str(r, "name")] = `rt_${n++}`;
    else if (kind === "firewallConfig") vercel().firewall = true;
    else if (kind === "projectDeploymentRetention") vercel().retention = true;
    else if (kind === "repositoryEnvironment") github().environment = true;
    else if (kind === "repositoryEnvironmentDeploymentPolicy")
      (github().branchPolicies ??= {})[str(r, "branchPattern")] = n++;
    else if (kind === "actionsEnvironmentSecret")
      (github().environmentSecrets ??= []).push(str(r, "secretName"));
    else if (kind === "repositoryRuleset") (github().rulesets ??= {})[str(r, "name")] = n++;
    else if (kind === "repositoryWebhook") github().webhook = n++;
    else if (kind === "extension") (postgres().extensions ??= []).push(str(r, "name"));
    else if (kind === "role") (postgres().roles ??= []).push(str(r, "name"));
    else throw new Error(`no ids for ${r.type}`);
  }
  return { vercel: { team: "team_launchpad" }, apps };
}

function writeIds(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-ids-")), "ids.yaml");
  fs.writeFileSync(file, typeof content === "string" ? content : stringify(content));
  return file;
}

beforeAll(async () => {
  const [outcome] = await evaluateStacks(["prod"]);
  if (!outcome?.ok) throw new Error("the prod stack did not evaluate");
  prod = outcome.evaluation;
});

describe("launchpad import", () => {
  it("writes an import file whose every id has its provider's documented format", () => {
    const importable = prod.resources.filter((r) => DOCUMENTED[r.type]);
    expect(new Set(importable.map((r) => r.type))).toEqual(new Set(IMPORT_RULES.map((rule) => rule.type)));

    const { code, stdout, stderr } = launchpad([
      "import",
      "--stack",
      "prod",
      "--ids",
      writeIds(idsForEverything(prod)),
    ]);
    expect(stderr).toContain(`launchpad import: prod: import ${importable.length}, `);
    expect(code).toBe(0);
    const file = JSON.parse(stdout) as PulumiImportFile;

    expect(file.resources.map((r) => r.name).sort()).toEqual(importable.map((r) => r.name).sort());
    const declared = new Map(prod.resources.map((r) => [r.urn, r]));
    for (const entry of file.resources) {
      expect(entry.id, entry.name).toMatch(DOCUMENTED[entry.type]!);
      const resource = prod.resources.find((r) => r.name === entry.name)!;
      // The parent and explicit provider by URN, as the program declares them.
      expect(file.nameTable[entry.parent!]).toBe(resource.parent);
      if (resource.provider) {
        expect(`${file.nameTable[entry.provider!]}::${resource.provider.split("::").pop()}`).toBe(
          resource.provider,
        );
      } else {
        expect(entry.provider).toBeUndefined();
        expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
    for (const urn of Object.values(file.nameTable)) expect(declared.has(urn)).toBe(true);
    expect(file.resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))).toBe(false);
  });

  it("lists, for --targets, the components and providers the imported resources hang from, parents first", () => {
    const { code, stdout } = launchpad([
      "import",
      "--stack",
      "prod",
      "--ids",
      writeIds(idsForEverything(prod)),
      "--targets",
    ]);
    expect(code).toBe(0);
    const urns = stdout
      .trim()
      .split("\n")
      .map((l) => l.replace(/^--target=/, ""));
    const byUrn = new Map(prod.resources.map((r) => [r.urn, r]));
    urns.forEach((urn, i) => {
      const r = byUrn.get(urn)!;
      expect(r.custom && !r.type.startsWith("pulumi:providers:"), urn).toBe(false);
      // Its parent, when not the stack root, comes before it.
      if (byUrn.has(r.parent)) expect(urns.indexOf(r.parent)).toBeLessThan(i);
    });
  });

  it("names each Fly app the catalog takes over, and leaves dynamic resources out of the file", () => {
    const adopted = prod.resources.filter(
      (r) => r.type === "pulumi-nodejs:dynamic/fly:App" && r.inputs["adoptExisting"] === true,
    );
    const { code, stderr } = launchpad(["import", "--stack", "prod", "--ids", writeIds({ apps: {} })]);
    expect(code).toBe(0);
    for (const app of adopted)
      expect(stderr).toContain(`takes over Fly app ${str(app, "name")} as it is created`);
  });

  it.each([
    [
      "an unknown key",
      { apps: { APP: { vercel: { project: "prj_a", firwall: true } } } },
      "apps.APP.vercel",
      'unknown key "firwall"',
    ],
    [
      "an id in the wrong format",
      { apps: { APP: { vercel: { project: "abc" } } } },
      "apps.APP.vercel.project",
      "expected a Vercel project id (prj_…)",
    ],
    [
      "a GitHub id that is not a number",
      { apps: { APP: { github: { webhook: "hook" } } } },
      "apps.APP.github.webhook",
      "expected number",
    ],
    [
      "an app the stack does not deploy",
      { apps: { "no-such-app": {} } },
      "apps.no-such-app",
      'stack prod deploys no app "no-such-app"',
    ],
    [
      "a variable the stack does not declare",
      { apps: { APP: { vercel: { project: "prj_a", envVars: { NOT_DECLARED: "e1" } } } } },
      "apps.APP.vercel.envVars.NOT_DECLARED",
      "stack prod declares no resource this entry could adopt",
    ],
  ])("exits 2 on %s, naming the key", (_case, content, key, message) => {
    const app = appOf(
      prod.resources.find((r) => r.type === "vercel:index/project:Project")!,
      new Map(prod.resources.map((r) => [r.urn, r])),
    )!;
    const file = writeIds(JSON.parse(JSON.stringify(content).replaceAll("APP", app)));
    const { code, stdout, stderr } = launchpad(["import", "--stack", "prod", "--ids", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${file}: ${key.replace("APP", app)}: `);
    expect(stderr.toLowerCase()).toContain(message.toLowerCase());
  });

  it("exits 2 on a missing ids file and on usage errors", () => {
    expect(launchpad(["import", "--stack", "prod", "--ids", "/nonexistent/ids.yaml"]).code).toBe(2);
    expect(launchpad(["import", "--ids", "x.yaml"]).stderr).toContain("--stack");
    expect(launchpad(["import", "--stack", "prod"]).stderr).toContain("--ids");
  });
});

describe("launchpad plan: what the first up adopts", () => {
  it("shows, per stack, each Fly app the catalog takes over", () => {
    const { code, stdout } = launchpad(["plan", "--stack", "prod", "--format", "json"]);
    expect(code).toBe(0);
    const resources = (JSON.parse(stdout) as { stacks: { resources: { urn: string; adopts?: string }[] }[] })
      .stacks[0]!.resources;
    const adopted = prod.resources.filter((r) => r.inputs["adoptExisting"] === true);
    expect(adopted.length).toBeGreaterThan(0);
    for (const r of adopted)
      expect(resources.find((x) => x.urn === r.urn)?.adopts).toBe(`Fly app ${str(r, "name")}`);
    expect(launchpad(["plan", "--stack", "prod"]).stdout).toMatch(/^ {2}Adoption: takes over Fly app /m);
  });
});
