import { describe, expect, it } from "vitest";
import { GITHUB } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  resource,
  violationsOf,
  withInput,
} from "../support";

const RULE = "alert-channels";

function fixture(stack: string) {
  const app = appComponent(stack, "submissions");
  const alerts = resource(stack, "launchpad:discord:Alerts", "submissions-alerts", {}, { parent: app });
  const hook = resource(
    stack,
    GITHUB.webhook,
    "submissions-alerts-github-webhook",
    {
      repository: "soumissions-disponibilites",
      active: true,
      events: ["check_suite", "push", "pull_request", "release"],
      configuration: "[secret]",
    },
    { parent: alerts },
  );
  return { app, alerts, hook };
}
const { app, alerts, hook } = fixture("prod");

describe(RULE, () => {
  it("passes an app whose alert webhook is active and subscribed", async () => {
    await expectCompliant(RULE, [app, alerts, hook]);
  });

  it("reports an app without any alert webhook", async () => {
    await expectViolation(RULE, [app, alerts], app.urn, /submissions has no alert webhook/);
  });

  it("reports an inactive webhook and one subscribed to no CI event Discord renders", async () => {
    const silent = withInput(hook, ["events"], ["workflow_run", "deployment_status"]);
    for (const bad of [withInput(hook, ["active"], false), withInput(hook, ["events"], ["star"]), silent]) {
      await expectViolation(RULE, [app, alerts, bad], app.urn, /inactive or subscribe to none/);
    }
  });

  it("reports at the stack's level: advisory in qa", async () => {
    const qa = fixture("qa");
    expect(await violationsOf(RULE, "qa", [qa.app, qa.alerts])).toEqual([
      { enforcement: "advisory", urn: qa.app.urn, message: "submissions has no alert webhook" },
    ]);
  });
});
