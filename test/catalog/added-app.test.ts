import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROLE_KEYS } from "../../infra/components/database-plan";
import { STACK_NAMES } from "../../infra/config";
import { summarize } from "../../tools/audit/summary";
import type { StackAnalysis } from "../../tools/audit/types";
import { appSources } from "../../tools/ci/app-sources";
import { evaluateStacks, type StackEvaluation } from "../../tools/engine";
import { catalogAppNames, catalogApps } from "../support/catalog";
import { copyProject } from "../support/config-fixtures";
import { addExtraApp, extraAppBlock, extraAppSupabaseUrl } from "../support/extra-app";
import { launchpad } from "../rehearse/support";

// Adding an app is one catalog block plus its per-stack overrides: a generated app joins a copy of the
// shipped config, and the invariants the suite checks hold over every app, the new one included.

const EXTRA = "added-app";
const ISOLATION_PROBES = [
  "anon reads no row",
  "user A reads its own rows",
  "user A reads none of B's rows",
  "user A cannot insert a row of B",
  "user A updates and deletes none of B's rows",
];

describe("an app added to the catalog, with its overrides", () => {
  let dir: string;
  const evaluations: Record<string, StackEvaluation> = {};
  const analyses: Record<string, StackAnalysis> = {};

  beforeAll(async () => {
    dir = copyProject();
    addExtraApp(dir, EXTRA);
    const analyzer = path.resolve(__dirname, "..", "..", "tools", "audit", "analyze.ts");
    for (const outcome of await evaluateStacks([...STACK_NAMES], { projectDir: dir, analyzer })) {
      if (!outcome.ok) throw new Error(`${outcome.stack} did not evaluate: ${JSON.stringify(outcome)}`);
      evaluations[outcome.stack] = outcome.evaluation;
      analyses[outcome.stack] = outcome.analysis as StackAnalysis;
    }
  });

  it("is one more app of the catalog, in every stack", () => {
    for (const stack of STACK_NAMES) {
      expect(catalogAppNames(stack, dir)).toEqual([...catalogAppNames(stack), EXTRA]);
    }
  });

  it("plan: every stack declares one App component per catalog app, in order, each app's resources together", () => {
    for (const stack of STACK_NAMES) {
      const { resources } = evaluations[stack]!;
      const apps = resources.filter((r) => r.type === "launchpad:index:App");
      expect(apps.map((a) => a.name)).toEqual(catalogAppNames(stack, dir));
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const appOf = (urn: string): string | undefined => {
        for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent))
          if (r.type === "launchpad:index:App") return r.name;
        return undefined;
      };
      const runs: string[] = [];
      for (const r of resources) {
        const app = appOf(r.urn);
        if (app && runs[runs.length - 1] !== app) runs.push(app);
      }
      expect(runs).toEqual(catalogAppNames(stack, dir));
    }
  });

  it("plan: the new app gets each part it declares: Vercel project, Fly machines, RLS on its table, alerts", () => {
    const block = extraAppBlock(EXTRA);
    const tables = Object.keys((block["database"] as { tables: Record<string, unknown> }).tables);
    for (const stack of STACK_NAMES) {
      const mine = evaluations[stack]!.resources.filter((r) => r.urn.includes(`::${EXTRA}-`));
      const types = new Set(mine.map((r) => r.type));
      expect({ stack, vercel: types.has("vercel:index/project:Project") }).toEqual({ stack, vercel: true });
      expect({ stack, fly: types.has("pulumi-nodejs:dynamic/fly:Machine") }).toEqual({ stack, fly: true });
      const rls = mine.filter((r) => r.type === "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity");
      expect(rls.map((r) => r.inputs["table"]).sort()).toEqual(tables.sort());
      const supabase = catalogApps(stack, dir)[EXTRA]!.database?.supabaseUrl;
      expect(supabase).toBe(extraAppSupabaseUrl(EXTRA, stack));
    }
  });

  it("audit: no mandatory violation stands in any stack, and none at all on the new app", () => {
    const report = { stacks: STACK_NAMES.map((s) => analyses[s]!.audit), rules: analyses["prod"]!.rules };
    expect(summarize(report).mandatory).toBe(0);
    const onNewApp = report.stacks.flatMap((s) =>
      s.findings.filter((f) => !f.exemption && f.urn.includes(`::${EXTRA}`)),
    );
    expect(onNewApp).toEqual([]);
  });

  it("sql: the new app's layer, with a redacted login role per role key and RLS on its table", async () => {
    const run = await launchpad(["sql", "--stack", "dev", "--app", EXTRA, "--cwd", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`-- launchpad sql: stack dev, app ${EXTRA},`);
    const passwords = run.stdout.match(/PASSWORD '[^']*'/g) ?? [];
    expect(passwords).toHaveLength(ROLE_KEYS.length);
    expect(new Set(passwords)).toEqual(new Set(["PASSWORD '[redacted]'"]));
    expect(run.stdout).toContain('ALTER TABLE "public"."notes" ENABLE ROW LEVEL SECURITY;');
  });

  it("rehearse: the new app's table keeps each user to their own rows on a real Postgres", async () => {
    const run = await launchpad([
      "rehearse",
      "--stack",
      "dev",
      "--app",
      EXTRA,
      "--format",
      "json",
      "--cwd",
      dir,
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      summary: { failed: number };
      apps: Array<{ app: string; probes: Array<{ subject: string; probe: string; outcome: string }> }>;
    };
    expect(report.summary.failed).toBe(0);
    expect(report.apps.map((a) => a.app)).toEqual([EXTRA]);
    const passed = report.apps[0]!.probes.filter(
      (p) => p.subject === "table notes" && p.outcome === "passed",
    ).map((p) => p.probe);
    expect(passed).toEqual(expect.arrayContaining(ISOLATION_PROBES));
  });

  it("CI: its repository is among the sources checked out for image builds", () => {
    const repository = extraAppBlock(EXTRA)["repository"] as { owner: string; name: string };
    expect(appSources(dir)).toContainEqual({
      repository: `${repository.owner}/${repository.name}`,
      path: repository.name,
    });
  });
});
