/** Checklist 8 — monitoring: every app, in every environment, has its alert channel wired. */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { apps, byApp } from "./lib/graph";
import { GITHUB, VERCEL } from "./lib/types";
import { list, settings, type Props } from "./lib/values";

// CI outcomes as Discord's GitHub endpoint renders them; it drops workflow_run and deployment_status.
const DEFAULTS = { events: ["check_suite", "check_run"] };

function wired(hook: PolicyResource, events: readonly string[]): boolean {
  const props = hook.props as Props;
  const subscribed = list(props["events"]).filter((e): e is string => typeof e === "string");
  return props["active"] !== false && subscribed.some((e) => e === "*" || events.includes(e));
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const { events } = settings(args, DEFAULTS);
  const grouped = byApp(args.resources);
  for (const [name, app] of apps(args.resources)) {
    const hooks = (grouped.get(name) ?? []).filter(
      (r) => r.type === GITHUB.webhook || r.type === VERCEL.webhook,
    );
    if (hooks.length === 0) report(`${name} has no alert webhook`, app.urn);
    else if (!hooks.some((h) => wired(h, events))) {
      report(`${name}'s alert webhooks are inactive or subscribe to none of ${events.join(", ")}`, app.urn);
    }
  }
}

export const alertChannels = stackRule({
  name: "alert-channels",
  description: "Every app has an active alert webhook subscribed to CI and deployment events.",
  severity: "medium",
  checklistItem: 8,
  remediationSteps: [
    "1. Give the app an alerts block (channel, webhook secret) in the catalog.",
    "2. Store the channel's webhook URL with `pulumi config set --secret`; the Alerts component wires it.",
  ].join("\n"),
  resourceTypes: [GITHUB.webhook, VERCEL.webhook],
  configSchema: {
    properties: {
      events: { type: "array", items: { type: "string" }, default: DEFAULTS.events },
    },
  },
  validateStack: validate,
});
