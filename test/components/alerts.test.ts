import { beforeAll, describe, expect, it } from "vitest";
import type { StackEvaluation } from "../../tools/engine/types";
import { DISCORD_GITHUB_EVENTS } from "../../infra/components/discord";
import { evaluateAll, one, platformOf, STACKS, T, type Stack } from "./support";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

describe.each(STACKS)("alerts in %s", (stack) => {
  const platform = platformOf(stack);

  describe.each(Object.entries(platform.apps))("%s", (app, spec) => {
    it("posts the repository's check suites, pushes, pull requests and releases to the channel's webhook", () => {
      const alerts = one(stacks[stack], T.alerts, `${app}-alerts`);
      expect(alerts.parent).toBe(one(stacks[stack], T.app, app).urn);
      const webhook = one(stacks[stack], T.webhook, `${app}-alerts-github-webhook`);
      expect(webhook.parent).toBe(alerts.urn);
      expect(webhook.inputs["repository"]).toBe(spec.repository.name);
      expect(webhook.inputs["active"]).toBe(true);
      const events = webhook.inputs["events"] as string[];
      expect([...events].sort()).toEqual(["check_suite", "pull_request", "push", "release"]);
      // Discord's /github endpoint drops any event it does not render, without an error.
      for (const event of events) expect(DISCORD_GITHUB_EVENTS).toContain(event);
      expect(
        webhook.provider.startsWith(`${one(stacks[stack], T.githubProvider, `${app}-github`).urn}::`),
      ).toBe(true);
    });

    it("stores the webhook configuration (it embeds the Discord token) as a secret, in and out", () => {
      const webhook = one(stacks[stack], T.webhook, `${app}-alerts-github-webhook`);
      expect(webhook.secretInputs).toContain("configuration");
      expect(webhook.inputs["configuration"]).toBe("[secret]");
      expect(webhook.additionalSecretOutputs).toContain("configuration");
    });

    it("exports the app's channel and thresholds as data", () => {
      const alerts = stacks[stack].outputs["alerts"] as Record<string, unknown>;
      expect(alerts[app]).toEqual({
        channel: spec.alerts.channel,
        // The secret's name, which the deploy step reads each channel's webhook by; never the URL.
        webhookSecret: spec.alerts.webhookSecret,
        environment: stack,
        thresholds: spec.alerts.thresholds,
        // The monitors evaluating them: test/monitoring/component.test.ts.
        monitors: expect.objectContaining({ ruleGroups: expect.any(Array), checks: expect.any(Array) }),
      });
    });
  });
});

describe("seed thresholds in the stack outputs", () => {
  it("submissions: failure rate > 5 %, response > 5 s, queue > 10", () => {
    for (const stack of STACKS) {
      const alerts = stacks[stack].outputs["alerts"] as Record<string, { thresholds: unknown }>;
      expect(alerts["submissions"]?.thresholds).toEqual({
        failureRatePercent: 5,
        responseTimeMs: 5000,
        queueSize: 10,
      });
    }
  });

  it("mona-spark: 5xx, response > 2 s, database down, 80 % resources", () => {
    const alerts = stacks.prod.outputs["alerts"] as Record<string, { thresholds: unknown }>;
    expect(alerts["mona-spark"]?.thresholds).toEqual({
      http5xx: true,
      responseTimeMs: 2000,
      databaseDown: true,
      resourceUtilizationPercent: 80,
    });
  });
});
