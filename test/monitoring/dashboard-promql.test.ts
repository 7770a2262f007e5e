/**
 * Every PromQL query of every dashboard panel parses, by Prometheus's own parser (`promtool check
 * rules` on the queries as recording rules). Gated on promtool like promql-rules.test.ts
 * (vitest.config.mts): elsewhere it is reported NOT RUN, never passed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { flyTargets, publicEndpoints } from "../../infra/components/monitoring-checks";
import { dashboardJson } from "../../infra/components/monitoring-dashboard";
import { physicalName } from "../../infra/naming";
import { platformOf, STACKS } from "../components/support";

/** The dashboards the Monitoring component builds for the stack's apps, with a Fly data source where it makes one. */
function dashboards(stack: (typeof STACKS)[number]): Array<{ app: string; exprs: string[] }> {
  const platform = platformOf(stack);
  return Object.entries(platform.apps).map(([app, spec]) => {
    const id = physicalName(app, platform.environment);
    const fly = flyTargets(app, spec, platform.environment);
    const model = JSON.parse(
      dashboardJson({
        uid: id,
        title: app,
        app,
        stack,
        checkJobs: publicEndpoints(app, spec, platform.environment).map((e) => `${id}-${e.part}`),
        fly,
        ...(fly.all.length > 0 ? { flyDatasourceUid: `${id}-fly` } : {}),
      }),
    ) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    return { app, exprs: model.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)) };
  });
}

/** `promtool check rules` on the expressions as recording rules; exit code and output. */
function checkParses(exprs: string[]): { code: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-dashboard-"));
  try {
    const rules = exprs.map((expr, i) => ({ record: `dashboard:panel_${i + 1}`, expr }));
    fs.writeFileSync(path.join(dir, "panels.yml"), stringify({ groups: [{ name: "panels", rules }] }));
    const run = spawnSync("promtool", ["check", "rules", "panels.yml"], { cwd: dir, encoding: "utf8" });
    return { code: run.status ?? 1, output: run.stdout + run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(STACKS)("dashboard queries of %s, by promtool", (stack) => {
  it.each(dashboards(stack).map((d) => [d.app, d] as const))("%s: each query parses", (_, d) => {
    expect(d.exprs.length).toBeGreaterThan(0);
    const result = checkParses(d.exprs);
    expect(result.code, result.output).toBe(0);
  });

  it("would refuse a query that does not parse", () => {
    expect(checkParses(['sum by (app (rate(fly_instance_up{app="x"}[5m]))']).code).not.toBe(0);
  });
});
