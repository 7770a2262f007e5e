import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  clone,
  conjuncts,
  deliveryEnvironments,
  environmentsOf,
  loadActions,
  loadWorkflows,
  ROOT,
  secretsIn,
  type Workflow,
} from "./support";

const workflows = loadWorkflows();
const declared = deliveryEnvironments();

/** The condition that keeps a job away from pull requests opened from forks. */
const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";

/** Per GitHub environment, the secrets the jobs running in it read; and the jobs that read secrets outside one. */
function secretReads(wfs: Workflow[]): { byEnvironment: Record<string, string[]>; outside: string[] } {
  const byEnvironment: Record<string, Set<string>> = {};
  const outside: string[] = [];
  for (const wf of wfs) {
    if (secretsIn(wf.env).length > 0) outside.push(`${wf.file}: workflow-level env`);
    for (const [id, job] of Object.entries(wf.jobs)) {
      const { steps, env, with: inputs } = job;
      const read = secretsIn({ steps, env, with: inputs });
      const environments = environmentsOf(wfs, wf, job);
      if (environments.length === 0) {
        if (read.length > 0) outside.push(`${wf.file}#${id}: ${read.join(", ")}`);
        continue;
      }
      for (const name of environments) {
        byEnvironment[name] ??= new Set();
        read.forEach((s) => byEnvironment[name]!.add(s));
      }
    }
  }
  return {
    byEnvironment: Object.fromEntries(Object.entries(byEnvironment).map(([k, v]) => [k, [...v].sort()])),
    outside,
  };
}

/** Jobs a pull request from a fork could reach that read a secret or enter an environment. */
function forkExposures(wfs: Workflow[]): string[] {
  const exposed: string[] = [];
  for (const wf of wfs) {
    if (!("pull_request" in wf.on)) continue;
    for (const [id, job] of Object.entries(wf.jobs)) {
      const sensitive =
        secretsIn({ steps: job.steps, env: job.env, with: job.with }).length > 0 ||
        job.environment !== undefined ||
        job.secrets !== undefined ||
        job.uses !== undefined;
      if (sensitive && !conjuncts(job.if ?? "").includes(FORK_GUARD)) exposed.push(`${wf.file}#${id}`);
    }
  }
  return exposed;
}

describe("the secrets the workflows read", () => {
  it("are, per GitHub environment, exactly the ones .github/environments.yml declares", () => {
    const { byEnvironment } = secretReads(workflows);
    const expected = Object.fromEntries(
      Object.entries(declared.environments).map(([name, env]) => [name, [...env.secrets].sort()]),
    );
    expect(byEnvironment).toEqual(expected);
  });

  it("are read only by jobs that run in a GitHub environment", () => {
    expect(secretReads(workflows).outside).toEqual([]);
  });

  it("reach the programs under the variable each secret declares", () => {
    const mismatches: string[] = [];
    const visit = (where: string, env: Record<string, unknown> | undefined): void => {
      for (const [variable, value] of Object.entries(env ?? {})) {
        const secret = /^\$\{\{\s*secrets\.(\w+)\s*\}\}$/.exec(String(value))?.[1];
        if (secret && declared.secrets[secret]?.variable !== variable)
          mismatches.push(`${where}: ${variable} ← ${secret}`);
      }
    };
    for (const wf of workflows) {
      for (const [id, job] of Object.entries(wf.jobs)) {
        visit(`${wf.file}#${id}`, job.env);
        for (const step of job.steps ?? []) visit(`${wf.file}#${id}`, step.env);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("are each described, with the scope of the deploy and preview credentials", () => {
    const used = new Set(Object.values(declared.environments).flatMap((e) => e.secrets));
    expect(Object.keys(declared.secrets).sort()).toEqual([...used].sort());
    for (const [name, secret] of Object.entries(declared.secrets)) {
      // GitHub refuses secret names that start with GITHUB_.
      expect(name).not.toMatch(/^GITHUB_/);
      for (const field of ["variable", "purpose", "deploy", "preview"] as const)
        expect(secret[field]).toBeTruthy();
    }
  });

  it("never come through a reusable workflow's secrets (environment secrets stay in their environment)", () => {
    for (const wf of workflows) {
      for (const job of Object.values(wf.jobs)) expect(job.secrets).toBeUndefined();
      expect(wf.on["workflow_call"]?.secrets).toBeUndefined();
    }
  });

  it("are not in composite actions, which take what they need as inputs", () => {
    for (const action of loadActions()) expect(secretsIn(action.runs)).toEqual([]);
  });

  it("fail the check when a workflow reads one more secret, or one fewer", () => {
    const more = clone(workflows);
    const up = more.find((w) => w.file === "pulumi-up.yml")!;
    up.jobs["up"]!.steps!.find((s) => s.uses?.startsWith("pulumi/actions") && s.with?.["command"])!.env![
      "EXTRA"
    ] = "${{ secrets.AWS_SECRET_ACCESS_KEY }}";
    expect(secretReads(more).byEnvironment["prod"]).toContain("AWS_SECRET_ACCESS_KEY");

    const fewer = clone(workflows);
    const drift = fewer.find((w) => w.file === "drift.yml")!;
    drift.jobs["drift"]!.steps = drift.jobs["drift"]!.steps!.filter((s) => !s.name?.startsWith("Alert"));
    expect(secretReads(fewer).byEnvironment["prod-preview"]).not.toContain("DISCORD_WEBHOOK_URL");
  });
});

describe("pull requests from forks", () => {
  it("never reach a job that reads a secret or enters an environment", () => {
    expect(forkExposures(workflows)).toEqual([]);
  });

  it("still get the tests and the offline audit, which read no secret", () => {
    const pr = workflows.find((w) => w.file === "pull-request.yml")!;
    for (const id of ["test", "audit"]) {
      expect(pr.jobs[id]!.if).toBeUndefined();
      expect(secretsIn(pr.jobs[id])).toEqual([]);
      expect(pr.jobs[id]!.environment).toBeUndefined();
    }
  });

  it("are caught by the check when the preview job loses its guard", () => {
    const unguarded = clone(workflows);
    const preview = unguarded.find((w) => w.file === "pull-request.yml")!.jobs["preview"]!;
    preview.if = "needs.changes.outputs.stacks != '[]'";
    expect(forkExposures(unguarded)).toEqual(["pull-request.yml#preview"]);
    preview.if = `${FORK_GUARD} || always()`;
    expect(forkExposures(unguarded)).toEqual(["pull-request.yml#preview"]);
  });

  it("cannot run with the base repository's privileges: no pull_request_target anywhere", () => {
    for (const wf of workflows) expect(Object.keys(wf.on)).not.toContain("pull_request_target");
  });

  it("get their audit published by a workflow_run that reads no secret and never runs their code", () => {
    const publishers = workflows.filter((w) => "workflow_run" in w.on);
    expect(publishers.map((w) => w.file)).toEqual(["audit-publish.yml"]);
    const publish = publishers[0]!;
    const pr = workflows.find((w) => w.file === "pull-request.yml")!;
    expect(publish.on["workflow_run"].workflows).toEqual([pr.name]);
    for (const job of Object.values(publish.jobs)) {
      expect(secretsIn(job)).toEqual([]);
      expect(job.environment).toBeUndefined();
      for (const step of job.steps ?? []) {
        // Checkouts take this repository's default branch: no ref, no other repository.
        if (step.uses?.startsWith("actions/checkout")) {
          expect(step.with?.["ref"]).toBeUndefined();
          expect(step.with?.["repository"]).toBeUndefined();
        }
        // Only this repository's own scripts run; the downloaded reports are read as data.
        if (step.run) {
          expect(step.run.trim()).toMatch(/^node \.github\/scripts\/[\w-]+\.js$/);
          expect(fs.existsSync(path.join(ROOT, step.run.trim().split(" ")[1]!))).toBe(true);
        }
      }
    }
  });
});
