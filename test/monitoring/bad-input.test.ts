/** Bad alert config stops the program with the key that is wrong; the CLI exits 2. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  durationMs,
  MAX_REPEAT_INTERVAL,
  parsePlatformConfig,
  type LayeredConfig,
} from "../../infra/config";
import { validatePlatform } from "../../infra/config/load";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { platformOf } from "../components/support";
import { copyProject, editFile, realConfig } from "../support/config-fixtures";

type Apps = Record<string, { alerts: Record<string, unknown> }>;

function problems(edit: (apps: Apps, config: LayeredConfig) => void): string[] {
  const base = realConfig("prod");
  const config = withSecretStandIns(base, validatePlatform("prod", base));
  const apps = structuredClone(config.values["launchpad:apps"]) as Apps;
  config.values["launchpad:apps"] = apps;
  edit(apps, config);
  try {
    parsePlatformConfig("prod", config);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.file}: ${i.key}: ${i.message}`);
    throw error;
  }
  return [];
}

const thresholds = (apps: Apps, app: string) => apps[app]!.alerts["thresholds"] as Record<string, unknown>;

describe("bad alert input", () => {
  it("refuses a percentage of 0 or over 100, and a negative time, naming the key", () => {
    expect(problems((a) => (thresholds(a, "submissions")["failureRatePercent"] = 0))).toEqual([
      expect.stringMatching(
        /^Pulumi.yaml: launchpad:apps.submissions.alerts.thresholds.failureRatePercent: expected a number > 0, got 0$/,
      ),
    ]);
    expect(problems((a) => (thresholds(a, "mapquiz")["resourceUtilizationPercent"] = 120))).toEqual([
      expect.stringMatching(
        /launchpad:apps.mapquiz.alerts.thresholds.resourceUtilizationPercent: expected a number ≤ 100, got 120$/,
      ),
    ]);
    expect(problems((a) => (thresholds(a, "mona-spark")["responseTimeMs"] = -2000))).toEqual([
      expect.stringMatching(
        /launchpad:apps.mona-spark.alerts.thresholds.responseTimeMs: expected a number ≥ 1, got -2000$/,
      ),
    ]);
  });

  it("refuses an unknown metric name in an app's metrics contract", () => {
    const found = problems((a) => {
      a["submissions"]!.alerts["metrics"] = { source: "prometheus", names: ["launchpad_queue_length"] };
    });
    expect(found.join("\n")).toMatch(
      /launchpad:apps.submissions.alerts.metrics.names\[0\]|launchpad:apps.submissions.alerts.metrics.names.0/,
    );
    expect(found.join("\n")).toMatch(/launchpad_queue_length/);
  });

  it("refuses a missing webhook secret, naming the command that sets it", () => {
    const found = problems((_, config) => {
      const secrets = structuredClone(config.values["launchpad:secrets"]) as Record<
        string,
        Record<string, string>
      >;
      delete secrets["mapquiz"]!["DISCORD_WEBHOOK_URL"];
      config.values["launchpad:secrets"] = secrets;
    });
    expect(found.join("\n")).toMatch(/launchpad:secrets\.mapquiz\.DISCORD_WEBHOOK_URL/);
  });

  it("refuses a threshold with nothing to evaluate it", () => {
    const found = problems((a) => (a["sheet2scene"]!.alerts["thresholds"] = { queueSize: 10 }));
    expect(found).toEqual([
      expect.stringMatching(/launchpad:apps.sheet2scene.alerts.thresholds.queueSize: needs alerts.metrics/),
    ]);
    const noStatus = problems((a) => {
      a["submissions"]!.alerts["metrics"] = { source: "sql", table: "nowhere" };
    });
    expect(noStatus).toEqual([
      expect.stringMatching(
        /launchpad:apps.submissions.alerts.metrics.table: the app's database declares no table "nowhere"/,
      ),
    ]);
  });
});

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

/** `launchpad plan` on a copy of the project with one stack file edited. */
function planWith(
  stack: string,
  from: RegExp,
  to: string,
): { code: number | null; stdout: string; stderr: string } {
  const dir = copyProject();
  const file = `Pulumi.${stack}.yaml`;
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const found = from.exec(text);
  if (!found) throw new Error(`${file} has no ${from}`);
  editFile(dir, file, found[0], to);
  const run = spawnSync(process.execPath, [BIN, "plan", "--stack", stack, "--cwd", dir], {
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("bad alerting profile, through `launchpad plan`", () => {
  it("refuses a duration Prometheus cannot parse, naming the key (exit 2, no plan)", () => {
    const { code, stdout, stderr } = planWith("prod", /repeatInterval: \S+/, "repeatInterval: 1 hour");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /Pulumi\.prod\.yaml: launchpad:environment\.alerting\.repeatInterval: expected a duration such as 30s, 5m, 4h or 5d/,
    );
  });

  it("refuses a repeat interval shorter than the group interval, and one longer than Grafana honours", () => {
    const profile = platformOf("qa").environment.alerting;
    const shorter = planWith("qa", /repeatInterval: \S+/, "repeatInterval: 1m");
    expect(shorter.code).toBe(2);
    expect(shorter.stderr).toContain(
      `Pulumi.qa.yaml: launchpad:environment.alerting.repeatInterval: expected at least groupInterval (${profile.groupInterval})`,
    );
    const longer = planWith("qa", /repeatInterval: \S+/, `repeatInterval: 1w`);
    expect(longer.code).toBe(2);
    expect(longer.stderr).toMatch(
      new RegExp(
        `launchpad:environment\\.alerting\\.repeatInterval: expected at most ${MAX_REPEAT_INTERVAL}`,
      ),
    );
  });

  it("refuses a probe the account does not list, naming the stack file and the probe's key", () => {
    const profile = platformOf("dev").environment.alerting;
    const last = profile.probes.length - 1;
    const names = [...profile.probes.slice(0, last), "Atlantis"];
    const { code, stdout, stderr } = planWith("dev", /probes: \[[^\]]*\]/, `probes: [${names.join(", ")}]`);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `Pulumi.dev.yaml: launchpad:environment.alerting.probes[${last}]: no Synthetic Monitoring probe is named "Atlantis"`,
    );
  });
});

describe("bad checks data source", () => {
  it("refuses a data source UID Grafana would not take, naming the key", () => {
    const found = problems((_, config) => {
      const environment = structuredClone(config.values["launchpad:environment"]) as {
        alerting: Record<string, unknown>;
      };
      environment.alerting["checkMetricsDatasourceUid"] = "grafana cloud prom";
      config.values["launchpad:environment"] = environment;
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^Pulumi\.prod\.yaml: launchpad:environment\.alerting\.checkMetricsDatasourceUid: expected a Grafana data source UID/,
      ),
    ]);
  });
});

describe("durationMs", () => {
  it("reads Prometheus durations, largest unit first, and nothing else", () => {
    expect(durationMs("5d")).toBe(5 * 86_400_000);
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("1500ms")).toBe(1500);
    for (const bad of ["", "5", "30m1h", "1.5h", "-5m", "4 h"]) expect(durationMs(bad), bad).toBeUndefined();
  });
});
