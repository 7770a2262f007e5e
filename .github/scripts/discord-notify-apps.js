#!/usr/bin/env node
// Tells each app of a stack, in its own Discord channel, that the stack was deployed or rolled back:
// the outcome ("Déploiement réussi"), duration, commit, author and a link to the run, as
// discord-notify.js words it, the app named in the title. The apps and the name of each one's webhook
// secret come from DEPLOY_PLAN (`launchpad plan --format json`, its `alerts` output); the webhook URL
// itself is the stack secret `launchpad:secrets.<app>.<name>`, read with `pulumi config get` in
// PULUMI_PROJECT_DIR (the job is logged in to the stack's backend) and masked in the log before use.
// Inputs as discord-notify.js, plus DEPLOY_PLAN and PULUMI_PROJECT_DIR.
// A channel that cannot be told is a warning on the run, never a failed deploy.
"use strict";

const { execFile } = require("node:child_process");
const { discordMessage, postMessage } = require("./discord-notify.js");
const { readStackAlerts } = require("./deploy-plan.js");

/** The stack config key of `app`'s webhook secret `name`, as `launchpad plan --require-secrets` prints it. */
function webhookKey(app, name) {
  return `launchpad:secrets.${app}.${name}`;
}

/** The secret's value, decrypted by the Pulumi CLI; rejects with a message that never holds it. */
function readSecret(stack, key, cwd) {
  return new Promise((resolve, reject) => {
    execFile("pulumi", ["config", "get", "--stack", stack, "--path", key], { cwd }, (error, stdout) => {
      const value = String(stdout || "").trim();
      if (error || !value) reject(new Error(error ? `pulumi config get exited ${error.code}` : "empty"));
      else resolve(value);
    });
  });
}

module.exports = { webhookKey };

async function main() {
  const warn = (text) => process.stdout.write(`::warning::${text}\n`);
  const stack = process.env.NOTIFY_STACK || "";
  let alerts;
  try {
    alerts = readStackAlerts(process.env.DEPLOY_PLAN, stack);
  } catch (error) {
    warn(`no plan to read the stack's apps from (${error.message}): the apps' channels are not told`);
    return;
  }
  const now = Date.now() / 1000;
  for (const [app, summary] of Object.entries(alerts)) {
    const key = webhookKey(app, (summary && summary.webhookSecret) || "DISCORD_WEBHOOK_URL");
    let webhook;
    try {
      webhook = await readSecret(stack, key, process.env.PULUMI_PROJECT_DIR || ".");
    } catch (error) {
      warn(`${app}: its channel's webhook (${key}) could not be read (${error.message}): not told`);
      continue;
    }
    // Read at run time, not a GitHub secret: mask it before anything could print it.
    process.stdout.write(`::add-mask::${webhook}\n`);
    const message = discordMessage({ ...process.env, NOTIFY_APP: app }, now);
    const failure = await postMessage(webhook, message);
    if (failure) warn(`${app}: Discord notification not sent: ${failure}`);
    else process.stdout.write(`notified ${app}: ${message.embeds[0].title}\n`);
  }
}

if (require.main === module) void main();
