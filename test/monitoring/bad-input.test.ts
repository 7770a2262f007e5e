/** Bad alert config stops the program with the key that is wrong; the CLI exits 2. */
import { describe, expect, it } from "vitest";
import { ConfigError, parsePlatformConfig, type LayeredConfig } from "../../infra/config";
import { validatePlatform } from "../../infra/config/load";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { realConfig } from "../support/config-fixtures";

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
