#!/usr/bin/env node
// Posts the outcome of a CI run, a deploy, a rollback, a drift check or a scheduled backup to the
// Discord channel of DISCORD_WEBHOOK_URL: the stack, the duration, the commit and its author, and a link to the run.
// Inputs come from the environment (never interpolated into a script): NOTIFY_ACTION (ci, deploy,
// rollback, drift, backup, cleanup), NOTIFY_STATUS (the job's status), NOTIFY_STACK (empty for a CI run),
// NOTIFY_STARTED_AT (epoch seconds), NOTIFY_AUTHOR, NOTIFY_COMMIT, NOTIFY_DETAIL and NOTIFY_APP (optional), and
// GitHub's GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_WORKFLOW.
// The seeds' teams read French: CI and deploy outcomes are worded as they asked ("Déploiement réussi").
// A notification that cannot be sent is a warning on the run, never a failed deploy.
"use strict";

const COLORS = { success: 0x2ea043, failure: 0xd1242f, cancelled: 0x6e7781 };
const ICONS = { success: "✅", failure: "❌", cancelled: "⏹️" };
const VERBS = {
  ci: { success: "CI réussie", failure: "CI en échec", cancelled: "CI annulée" },
  deploy: {
    success: "Déploiement réussi",
    failure: "Échec du déploiement",
    cancelled: "Déploiement annulé",
  },
  rollback: { success: "rolled back", failure: "rollback failed", cancelled: "rollback cancelled" },
  drift: {
    success: "no drift",
    failure: "drift detected (or the check failed)",
    cancelled: "drift check cancelled",
  },
  backup: { success: "backed up", failure: "backup failed", cancelled: "backup cancelled" },
  cleanup: {
    success: "backups cleaned up",
    failure: "backup cleanup failed",
    cancelled: "backup cleanup cancelled",
  },
};

/** `4m 05s`, `1h 02m`, `12s`. */
function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n) => String(n).padStart(2, "0");
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${s}s`;
}

/** The Discord webhook payload for `env` at time `nowSeconds`. */
function discordMessage(env, nowSeconds) {
  const action = VERBS[env.NOTIFY_ACTION] ? env.NOTIFY_ACTION : "deploy";
  const status = COLORS[env.NOTIFY_STATUS] !== undefined ? env.NOTIFY_STATUS : "failure";
  const stack = env.NOTIFY_STACK || "";
  // A CI run belongs to no stack: it is named by its repository and workflow.
  // A deploy told to one app's channel names the app too (NOTIFY_APP).
  const subject = stack
    ? [env.NOTIFY_APP, stack].filter(Boolean).join(" · ")
    : [env.GITHUB_REPOSITORY, env.GITHUB_WORKFLOW].filter(Boolean).join(" · ");
  const runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  // An empty start (the run's start could not be read) is unknown, not the epoch.
  const started = env.NOTIFY_STARTED_AT ? Number(env.NOTIFY_STARTED_AT) : NaN;
  const commit = (env.NOTIFY_COMMIT || "").slice(0, 12);
  const fields = [
    ...(stack ? [{ name: "Stack", value: stack, inline: true }] : []),
    {
      name: "Duration",
      value: Number.isFinite(started) && started > 0 ? formatDuration(nowSeconds - started) : "?",
      inline: true,
    },
    { name: "Author", value: env.NOTIFY_AUTHOR || "?", inline: true },
    { name: "Commit", value: commit ? `${commit} (${env.GITHUB_REPOSITORY})` : "?", inline: true },
    { name: "Run", value: runUrl },
  ];
  if (env.NOTIFY_DETAIL) fields.push({ name: "Details", value: env.NOTIFY_DETAIL.slice(0, 1000) });
  return {
    username: "launchpad",
    // A commit author or a reason could spell @everyone: mention no one.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: `${ICONS[status]} ${subject || "?"}: ${VERBS[action][status]}`,
        url: runUrl,
        color: COLORS[status],
        fields,
        timestamp: new Date(nowSeconds * 1000).toISOString(),
      },
    ],
  };
}

/** Posts `message` to `webhook`; resolves to an error message, or undefined once Discord took it. */
async function postMessage(webhook, message) {
  try {
    const response = await fetch(webhook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok ? undefined : `Discord answered ${response.status}`;
  } catch (error) {
    // The webhook URL is a secret: whatever the error says, it never carries it.
    return String(error && error.message ? error.message : error)
      .split(webhook)
      .join("***");
  }
}

module.exports = { discordMessage, formatDuration, postMessage };

async function main() {
  const webhook = process.env.DISCORD_WEBHOOK_URL;
  if (!webhook) {
    process.stdout.write(
      "::warning::DISCORD_WEBHOOK_URL is not set in this environment: no notification sent\n",
    );
    return;
  }
  const message = discordMessage(process.env, Date.now() / 1000);
  const failure = await postMessage(webhook, message);
  if (failure) process.stdout.write(`::warning::Discord notification not sent: ${failure}\n`);
  else process.stdout.write(`notified: ${message.embeds[0].title}\n`);
}

if (require.main === module) void main();
