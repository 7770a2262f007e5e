/** Runs Prometheus's own rule evaluator on the app's rules and synthetic series. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { PromRule } from "../../infra/components/monitoring-rules";

export interface AlertCase {
  series: Array<{ series: string; values: string }>;
  evalTime: string;
  alert: string;
  /** Labels of each alert expected to fire; empty: none fires. */
  fires: Array<Record<string, string>>;
}

/** Whether `promtool` is on PATH (Debian's `prometheus` package; .ci/run installs it). */
export function promtoolAvailable(): boolean {
  return spawnSync("promtool", ["--version"], { stdio: "ignore" }).status === 0;
}

/** `promtool check rules` then `promtool test rules`; returns its exit code and output. */
export function promtool(
  rules: readonly PromRule[],
  cases: readonly AlertCase[],
): { code: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-promtool-"));
  try {
    const groups = [{ name: "app", rules: rules.map((r) => ({ alert: r.name, expr: r.expr, for: r.for })) }];
    fs.writeFileSync(path.join(dir, "rules.yml"), stringify({ groups }));
    fs.writeFileSync(
      path.join(dir, "test.yml"),
      stringify({
        rule_files: ["rules.yml"],
        evaluation_interval: "1m",
        tests: cases.map((c) => ({
          interval: "1m",
          input_series: c.series,
          alert_rule_test: [
            {
              eval_time: c.evalTime,
              alertname: c.alert,
              exp_alerts: c.fires.map((labels) => ({ exp_labels: labels })),
            },
          ],
        })),
      }),
    );
    const check = spawnSync("promtool", ["check", "rules", "rules.yml"], { cwd: dir, encoding: "utf8" });
    if (check.status !== 0) return { code: check.status ?? 1, output: check.stdout + check.stderr };
    const run = spawnSync("promtool", ["test", "rules", "test.yml"], { cwd: dir, encoding: "utf8" });
    return { code: run.status ?? 1, output: run.stdout + run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
