// The apps a stack deploys, read from `launchpad plan --format json` (the file pulumi-up.yml writes
// before `pulumi up`): the `alerts` output of the stack, keyed by app in the catalog's order.
// Shared by the steps that tell each app of a deploy (Grafana marks, Discord channels).
"use strict";

const fs = require("node:fs");

/** The stack's `alerts` output in a parsed plan report: `{ [app]: { channel, webhookSecret, … } }`. */
function stackAlerts(plan, stack) {
  const entry = (plan && Array.isArray(plan.stacks) ? plan.stacks : []).find((s) => s.stack === stack);
  const alerts = entry && entry.outputs && entry.outputs.alerts;
  return alerts && typeof alerts === "object" ? alerts : {};
}

/** The stack's `alerts` output read from the plan file at `file` (throws when it cannot be read). */
function readStackAlerts(file, stack) {
  return stackAlerts(JSON.parse(fs.readFileSync(file || "", "utf8")), stack);
}

module.exports = { stackAlerts, readStackAlerts };
