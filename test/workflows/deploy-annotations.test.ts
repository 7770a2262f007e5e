/**
 * Each deploy and rollback is marked on the dashboard of every app of its stack: the workflow step that
 * posts the marks, and .github/scripts/grafana-annotate.js run as that step runs it, against a local
 * stand-in for Grafana's HTTP API, on the plan the workflow writes (`launchpad plan --format json`).
 */
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deployTags } from "../../infra/components/monitoring-dashboard";
import { catalogAppNames } from "../support/catalog";
import { fakeServer, runScript, writePlanJson } from "./script-harness";
import { ROOT, workflow, type Step } from "./support";

const STACK = "qa";
const TOKEN = "glsa_annotations_0123456789abcdef";
/** The update started two minutes before the script runs (the script ends the mark at its own clock). */
const STARTED_AT = Math.floor(Date.now() / 1000) - 120;

let planFile: string;
beforeAll(() => {
  planFile = writePlanJson(STACK);
});

const env = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
  GRAFANA_URL: `${url}/`,
  GRAFANA_ANNOTATIONS_TOKEN: TOKEN,
  DEPLOY_PLAN: planFile,
  NOTIFY_ACTION: "deploy",
  NOTIFY_STATUS: "success",
  NOTIFY_STACK: STACK,
  NOTIFY_STARTED_AT: String(STARTED_AT),
  NOTIFY_AUTHOR: "Ada <b>Lovelace</b>",
  NOTIFY_COMMIT: "0123456789abcdef0123",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "fleet/launchpad",
  GITHUB_RUN_ID: "42",
  ...extra,
});

describe("grafana-annotate.js", () => {
  it("posts one annotation per app of the stack, on the tags its dashboard reads, spanning the update", async () => {
    const grafana = await fakeServer(() => ({ body: { message: "Annotation added", id: 1 } }));
    const run = await runScript("grafana-annotate.js", [], { env: env(grafana.url) });
    expect(run.code).toBe(0);
    const apps = catalogAppNames(STACK);
    expect(apps.length).toBeGreaterThan(0);
    expect(grafana.requests.map((r) => `${r.method} ${r.url}`)).toEqual(
      apps.map(() => "POST /api/annotations"),
    );
    for (const [i, app] of apps.entries()) {
      const { headers, body } = grafana.requests[i]!;
      expect(headers["authorization"]).toBe(`Bearer ${TOKEN}`);
      // The dashboard's query matches all of these tags (infra/components/monitoring-dashboard.ts).
      expect(body.tags).toEqual(expect.arrayContaining(deployTags(app, STACK)));
      expect(body.time).toBe(STARTED_AT * 1000);
      expect(body.timeEnd).toBeGreaterThanOrEqual(body.time);
      expect(body.dashboardUID).toBeUndefined();
      expect(body.text).toContain("deploy 0123456789ab of fleet/launchpad");
      expect(body.text).toContain('<a href="https://github.com/fleet/launchpad/actions/runs/42">');
      expect(body.text).toContain("success");
    }
  });

  it("never carries another stack's tag or another app's, so each dashboard shows only its own deploys", async () => {
    const grafana = await fakeServer(() => ({}));
    await runScript("grafana-annotate.js", [], { env: env(grafana.url) });
    const apps = catalogAppNames(STACK);
    for (const [i, app] of apps.entries()) {
      const tags: string[] = grafana.requests[i]!.body.tags;
      for (const other of apps.filter((a) => a !== app)) expect(tags).not.toContain(other);
      for (const stack of ["dev", "qa", "prod"].filter((s) => s !== STACK)) expect(tags).not.toContain(stack);
    }
  });

  it("tags a rollback as one, and escapes what a commit author could inject into the text", async () => {
    const grafana = await fakeServer(() => ({}));
    await runScript("grafana-annotate.js", [], {
      env: env(grafana.url, {
        NOTIFY_ACTION: "rollback",
        NOTIFY_STATUS: "failure",
        NOTIFY_AUTHOR: '<img src=x onerror="alert(1)">',
      }),
    });
    const { body } = grafana.requests[0]!;
    expect(body.tags).toEqual(expect.arrayContaining(["rollback", "failure"]));
    expect(body.text).toMatch(/^rollback /);
    expect(body.text).not.toContain("<img");
    expect(body.text).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("warns and exits 0 when Grafana refuses, never printing the token, even when Grafana echoes it", async () => {
    const grafana = await fakeServer((req) => ({
      status: 401,
      body: { message: `invalid token ${req.headers["authorization"]}` },
    }));
    const run = await runScript("grafana-annotate.js", [], { env: env(grafana.url) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("::warning::deploy mark of");
    expect(run.stdout).toContain("Grafana answered 401");
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("warns and exits 0 when Grafana cannot be reached", async () => {
    const run = await runScript("grafana-annotate.js", [], { env: env("http://127.0.0.1:9") });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/::warning::deploy mark of [\w-]+ not posted/);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("posts nothing, with a warning, without its token or its plan", async () => {
    const grafana = await fakeServer(() => ({}));
    const noToken = await runScript("grafana-annotate.js", [], {
      env: env(grafana.url, { GRAFANA_ANNOTATIONS_TOKEN: "" }),
    });
    expect(noToken).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("::warning::GRAFANA_URL or GRAFANA_ANNOTATIONS_TOKEN is not set"),
    });
    const noPlan = await runScript("grafana-annotate.js", [], {
      env: env(grafana.url, { DEPLOY_PLAN: path.join(os.tmpdir(), "no-such-plan.json") }),
    });
    expect(noPlan).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("::warning::no plan to read the stack's apps from"),
    });
    expect(grafana.requests).toEqual([]);
  });
});

describe("grafana-annotate.js's pure parts, on an injected clock", () => {
  const script = require(path.join(ROOT, ".github", "scripts", "grafana-annotate.js")) as {
    deployAnnotation(
      env: Record<string, string>,
      app: string,
      nowSeconds: number,
    ): { time: number; timeEnd: number };
    watchedApps(plan: unknown, stack: string): string[];
  };

  it("spans the update, and falls back to a point in time when the start is unknown or after the end", () => {
    const at = (started: string, now: number) =>
      script.deployAnnotation({ NOTIFY_STACK: "qa", NOTIFY_STARTED_AT: started }, "a", now);
    expect(at("1000", 1300)).toMatchObject({ time: 1_000_000, timeEnd: 1_300_000 });
    expect(at("", 1300)).toMatchObject({ time: 1_300_000, timeEnd: 1_300_000 });
    expect(at("2000", 1300)).toMatchObject({ time: 1_300_000, timeEnd: 1_300_000 });
  });

  it("reads the apps of the stack the plan names, and none of another", () => {
    const plan = { stacks: [{ stack: "qa", outputs: { alerts: { a: {}, b: {} } } }] };
    expect(script.watchedApps(plan, "qa")).toEqual(["a", "b"]);
    expect(script.watchedApps(plan, "prod")).toEqual([]);
  });
});

describe("the deploy mark step of pulumi-up.yml", () => {
  const job = workflow("pulumi-up.yml").jobs["up"]!;
  const steps = job.steps!;
  const mark = steps.find((s) => s.run?.includes("grafana-annotate.js")) as Step;
  const index = (s: Step | undefined): number => steps.indexOf(s!);

  it("runs the delivery checkout's script after the update, whatever its outcome, and never fails the deploy", () => {
    expect(mark.run).toBe("node delivery/.github/scripts/grafana-annotate.js");
    const up = steps.find((s) => s.id === "up");
    expect(up?.uses).toMatch(/^pulumi\/actions@/);
    expect(index(mark)).toBeGreaterThan(index(up));
    expect(mark.if).toBe("always() && (steps.up.outcome == 'success' || steps.up.outcome == 'failure')");
    expect((mark as Step & { "continue-on-error"?: boolean })["continue-on-error"]).toBe(true);
    expect(mark.env).toMatchObject({
      NOTIFY_STATUS: "${{ steps.up.outcome }}",
      NOTIFY_STACK: "${{ inputs.stack }}",
    });
  });

  it("takes its token from the stack's environment secrets, through the environment only", () => {
    expect(job.environment).toBe("${{ inputs.stack }}");
    expect(mark.env).toMatchObject({
      GRAFANA_URL: "${{ secrets.GRAFANA_URL }}",
      GRAFANA_ANNOTATIONS_TOKEN: "${{ secrets.GRAFANA_ANNOTATIONS_TOKEN }}",
    });
    expect(mark.run).not.toContain("secrets.");
  });

  it("reads the apps from the plan the preflight wrote, of the revision deployed", () => {
    const preflight = steps.find((s) => s.run?.includes("--require-secrets"))!;
    expect(preflight.run).toContain('>"$RUNNER_TEMP/plan.json"');
    expect(index(preflight)).toBeLessThan(index(mark));
    expect(mark.env!["DEPLOY_PLAN"]).toBe("${{ runner.temp }}/plan.json");
  });
});
