import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAND_IN_MARKER } from "../../tools/engine/stand-in-marker";
import { commitAll, editYaml, gitState, launchpadIn, scratchRepo } from "./scratch-repo";

interface Resource {
  urn: string;
  type: string;
  name: string;
  protect: boolean;
}
interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
  secret?: string;
}
interface Changed extends Resource {
  changes: Change[];
  replaceInputs?: string[];
}
interface StackDiff {
  stack: string;
  summary: Record<string, number>;
  added: Resource[];
  removed: Resource[];
  replaced: Changed[];
  changed: Changed[];
  outputs: Change[];
  secretsMadePlain: Array<{ urn: string; path: string }>;
}
interface DiffReport {
  base: { ref: string; commit: string };
  stacks: StackDiff[];
}

/** The JSON diff of the repository's work tree against `ref`. */
function diffOf(dir: string, ref: string, stack: string, extra: string[] = []): DiffReport {
  const run = launchpadIn(dir, ["plan", "--diff", ref, "--stack", stack, "--format", "json", ...extra]);
  if (run.code !== 0) throw new Error(`plan --diff exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as DiffReport;
}

/** The catalog's app names and specs, from the repository's Pulumi.yaml. */
function catalog(dir: string): Record<string, Record<string, any>> {
  let apps: Record<string, Record<string, any>> = {};
  editYaml(dir, "Pulumi.yaml", (doc) => {
    apps = (doc.getIn(["config", "launchpad:apps", "value"]) as any).toJSON();
  });
  return apps;
}

const belongsTo = (app: string) => (r: Resource) => r.name === app || r.name.startsWith(`${app}-`);

describe("launchpad plan --diff", () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchRepo();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` on a clean work tree at `base`, and puts it back afterwards. */
  function fromBase<T>(body: () => T): T {
    const reset = (): void => {
      spawnSync("git", ["checkout", "-q", "-f", "base"], { cwd: dir });
      spawnSync("git", ["clean", "-q", "-fd"], { cwd: dir });
    };
    reset();
    try {
      return body();
    } finally {
      reset();
    }
  }

  it("reports no change as an empty diff on every stack, and leaves the work tree and index alone", () => {
    fromBase(() => {
      const before = gitState(dir);
      const report = diffOf(dir, "base", "all");
      expect(report.base.ref).toBe("base");
      expect(report.base.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(report.stacks.map((s) => s.stack)).toEqual(["dev", "qa", "prod"]);
      for (const stack of report.stacks) {
        expect(stack.summary).toEqual({ added: 0, changed: 0, replaced: 0, removed: 0, outputs: 0 });
      }
      expect(gitState(dir)).toBe(before);
      const markdown = launchpadIn(dir, ["plan", "--diff", "base", "--stack", "dev", "--format", "markdown"]);
      expect(markdown.stdout).toContain("| dev | 0 | 0 | 0 | 0 | 0 |");
      expect(markdown.stdout).toContain("No stack changes.");
      expect(markdown.stdout).not.toContain("<details>");
    });
  });

  it("shows every resource of an added app as added, and nothing else", () => {
    fromBase(() => {
      const apps = catalog(dir);
      const [source] = Object.keys(apps).sort((a, b) => a.length - b.length);
      const added = `${source}-copy`;
      editYaml(dir, "Pulumi.yaml", (doc) => {
        const spec = structuredClone(apps[source!]!);
        if (spec["domain"]) spec["domain"] = `${added}.example.org`;
        doc.setIn(["config", "launchpad:apps", "value", added], doc.createNode(spec));
      });
      for (const stack of ["dev", "qa", "prod"]) {
        editYaml(dir, `Pulumi.${stack}.yaml`, (doc) => {
          const override = doc.getIn(["config", "launchpad:overrides", source!]) as
            { toJSON(): unknown } | undefined;
          if (override)
            doc.setIn(["config", "launchpad:overrides", added], doc.createNode(override.toJSON()));
        });
      }
      const dev = diffOf(dir, "base", "dev").stacks[0]!;
      expect(dev.added.find((r) => r.type === "launchpad:index:App")?.name).toBe(added);
      expect(dev.added.length).toBeGreaterThan(5);
      for (const resource of dev.added) expect(resource.name).toMatch(new RegExp(`^${added}(-|$)`));
      expect([dev.removed, dev.replaced, dev.changed]).toEqual([[], [], []]);
      expect(dev.outputs.some((o) => o.path.startsWith(`apps.${added}`))).toBe(true);
    });
  });

  it("shows a machine's memory change as changed, with the property path", () => {
    fromBase(() => {
      let memory = 0;
      editYaml(dir, "Pulumi.dev.yaml", (doc) => {
        memory = Number(doc.getIn(["config", "launchpad:environment", "defaults", "memoryMb"]));
        doc.setIn(["config", "launchpad:environment", "defaults", "memoryMb"], memory * 2);
      });
      const dev = diffOf(dir, "base", "dev").stacks[0]!;
      const machines = dev.changed.filter((r) => r.type === "pulumi-nodejs:dynamic/fly:Machine");
      expect(machines.length).toBeGreaterThan(0);
      for (const machine of machines) {
        expect(machine.changes).toContainEqual({ path: "guest.memoryMb", before: memory, after: memory * 2 });
      }
      expect(dev.replaced).toEqual([]);
      const table = launchpadIn(dir, ["plan", "--diff", "base", "--stack", "dev"]);
      expect(table.stdout).toContain(`      guest.memoryMb: ${memory} → ${memory * 2}\n`);
      expect(table.stdout).toMatch(/^ {2}~ \S+-machine-\d+ \[fly:Machine\]$/m);
    });
  });

  it("shows replace-forcing changes as replaced: a dynamic provider's own diff, a registry provider's schema", () => {
    fromBase(() => {
      editYaml(dir, "Pulumi.dev.yaml", (doc) => {
        const region = doc.getIn(["config", "launchpad:environment", "defaults", "region"]);
        doc.setIn(
          ["config", "launchpad:environment", "defaults", "region"],
          region === "ams" ? "cdg" : "ams",
        );
      });
      const apps = catalog(dir);
      const app = Object.keys(apps)[0]!;
      editYaml(dir, "Pulumi.yaml", (doc) => {
        doc.setIn(["config", "launchpad:apps", "value", app, "repository", "name"], `${app}-renamed`);
      });
      const dev = diffOf(dir, "base", "dev").stacks[0]!;
      const machines = dev.replaced.filter((r) => r.type === "pulumi-nodejs:dynamic/fly:Machine");
      expect(machines.length).toBeGreaterThan(0);
      for (const machine of machines) expect(machine.replaceInputs).toContain("region");
      const environments = dev.replaced.filter(
        (r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment",
      );
      expect(environments.filter(belongsTo(app)).length).toBeGreaterThan(0);
      for (const environment of environments) {
        expect(environment.replaceInputs).toEqual(["repository"]);
        expect(environment.changes).toContainEqual({
          path: "repository",
          before: apps[app]!["repository"]["name"],
          after: `${app}-renamed`,
        });
      }
      const markdown = launchpadIn(dir, [
        "plan",
        "--diff",
        "base",
        "--stack",
        "dev",
        "--format",
        "markdown",
      ]).stdout;
      expect(markdown).toMatch(
        /- ± `[^`]+` \(`github:index\/repositoryEnvironment:RepositoryEnvironment`\) — replaced: `repository` changed/,
      );
    });
  });

  it("shows a removed app as removed, its protected resources flagged at the top", () => {
    fromBase(() => {
      const apps = catalog(dir);
      const app = Object.keys(apps).find((name) => apps[name]!["database"])!;
      editYaml(dir, "Pulumi.yaml", (doc) => {
        doc.deleteIn(["config", "launchpad:apps", "value", app]);
      });
      for (const stack of ["dev", "qa", "prod"]) {
        editYaml(dir, `Pulumi.${stack}.yaml`, (doc) => {
          doc.deleteIn(["config", "launchpad:overrides", app]);
        });
      }
      const prod = diffOf(dir, "base", "prod").stacks[0]!;
      expect(prod.removed.find((r) => r.type === "launchpad:index:App")?.name).toBe(app);
      for (const resource of prod.removed) expect(belongsTo(app)(resource)).toBe(true);
      const protectedOnes = prod.removed.filter((r) => r.protect);
      expect(protectedOnes.length).toBeGreaterThan(0);
      expect(prod.added).toEqual([]);
      const markdown = launchpadIn(dir, [
        "plan",
        "--diff",
        "base",
        "--stack",
        "prod",
        "--format",
        "markdown",
      ]).stdout;
      const attention = markdown.indexOf("### ⚠️ Needs attention");
      expect(attention).toBeGreaterThan(-1);
      expect(attention).toBeLessThan(markdown.indexOf("| stack |"));
      for (const r of protectedOnes)
        expect(markdown).toContain(`- prod: protected \`${r.name}\` (\`${r.type}\`) is **removed**`);
      expect(markdown).toMatch(/<details>\n<summary>prod: \+0 ~\d+ ±\d+ −\d+<\/summary>/);
      const table = launchpadIn(dir, ["plan", "--diff", "base", "--stack", "prod"]).stdout;
      expect(table).toContain(`  − ${protectedOnes[0]!.name} [`);
      expect(table).toMatch(/ {2}− \S+ \[[^\]]+\] {2}PROTECTED$/m);
    });
  });

  it("never prints a secret value, and says when a secret's stand-in changed", () => {
    fromBase(() => {
      const apps = catalog(dir);
      const [app, service] = Object.entries(apps).flatMap(([name, spec]) =>
        Object.entries((spec["services"] ?? {}) as Record<string, any>)
          .filter(([, s]) => s.enabled !== false && (s.secrets ?? []).length > 0)
          .map(([service]) => [name, service] as const),
      )[0]!;
      const secrets = apps[app]!["services"][service]["secrets"] as string[];
      const canary = "canary-value-7d1f3a90be";
      editYaml(dir, "Pulumi.yaml", (doc) => {
        doc.setIn(
          ["config", "launchpad:apps", "value", app, "services", service, "secrets"],
          doc.createNode([...secrets, "EXTRA_TOKEN"]),
        );
      });
      editYaml(dir, "Pulumi.dev.yaml", (doc) => {
        doc.setIn(["config", "launchpad:secrets", app, secrets[0]!], doc.createNode({ secure: canary }));
      });
      const outputs = ["json", "table", "markdown"].map((format) =>
        launchpadIn(dir, ["plan", "--diff", "base", "--stack", "dev", "--format", format], {
          FORCE_COLOR: "1",
        }),
      );
      for (const { code, stdout, stderr } of outputs) {
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(stdout + stderr).not.toContain(canary);
        expect(stdout + stderr).not.toContain(STAND_IN_MARKER);
      }
      const dev = (JSON.parse(outputs[0]!.stdout) as DiffReport).stacks[0]!;
      const flySecrets = dev.changed.find(
        (r) => r.type === "pulumi-nodejs:dynamic/fly:Secrets" && r.name.startsWith(`${app}-`),
      );
      expect(flySecrets?.changes).toContainEqual({
        path: "values",
        before: "[secret]",
        after: "[secret]",
        secret: "changed",
      });
    });
  });

  it("exits 2 on a ref that names no commit, and on invalid config at either side, naming it", () => {
    fromBase(() => {
      const missing = launchpadIn(dir, ["plan", "--diff", "no-such-branch", "--stack", "dev"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /^launchpad plan: --diff: no commit "no-such-branch" in .*\nRun `launchpad plan --help` for usage\.\n$/,
      );
      // A ref is never an option to git: `--output=…` would make `git rev-parse`/`archive` write a file.
      const option = launchpadIn(dir, ["plan", "--diff=--output=planted", "--stack", "dev"]);
      expect(option.code).toBe(2);
      expect(option.stderr).toContain('no commit "--output=planted"');
      expect(fs.existsSync(path.join(dir, "planted"))).toBe(false);

      const file = path.join(dir, "Pulumi.dev.yaml");
      const good = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, good.replace("policyEnforcement: advisory", "policyEnforcement: strict"));
      const workTree = launchpadIn(dir, ["plan", "--diff", "base", "--stack", "dev"]);
      expect(workTree.code).toBe(2);
      expect(workTree.stdout).toBe("");
      expect(workTree.stderr).toMatch(
        /^launchpad plan --diff: invalid configuration in the work tree \(1 problem\):\n {2}Pulumi\.dev\.yaml: launchpad:environment\.policyEnforcement: /,
      );

      commitAll(dir, "broken dev profile");
      fs.writeFileSync(file, good);
      const atRef = launchpadIn(dir, ["plan", "--diff", "HEAD", "--stack", "dev"]);
      expect(atRef.code).toBe(2);
      expect(atRef.stderr).toMatch(
        /^launchpad plan --diff: invalid configuration in HEAD \(commit [0-9a-f]{12}\) \(1 problem\):\n {2}Pulumi\.dev\.yaml: launchpad:environment\.policyEnforcement: /,
      );
    });
  });

  it("limits the diff to the named apps", () => {
    fromBase(() => {
      const apps = Object.keys(catalog(dir));
      editYaml(dir, "Pulumi.dev.yaml", (doc) => {
        const memory = Number(doc.getIn(["config", "launchpad:environment", "defaults", "memoryMb"]));
        doc.setIn(["config", "launchpad:environment", "defaults", "memoryMb"], memory * 2);
      });
      const whole = diffOf(dir, "base", "dev").stacks[0]!;
      const touched = apps.find((app) => whole.changed.some(belongsTo(app)))!;
      const one = diffOf(dir, "base", "dev", ["--app", touched]).stacks[0]!;
      expect(one.changed).toEqual(whole.changed.filter(belongsTo(touched)));
      const unknown = launchpadIn(dir, ["plan", "--diff", "base", "--stack", "dev", "--app", `${touched}x`]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(
        `--app: the catalog declares no app "${touched}x" (did you mean "${touched}"?)`,
      );
    });
  });
});
