#!/usr/bin/env node
// Posts the offline audit of a pull request as ONE comment, updated on every run (never duplicated).
// Runs in the `Publish audit` workflow (workflow_run), with the base repository's token, on a report
// that the pull request's own run produced: the report is untrusted data, only ever posted as text,
// and the pull request number it names is checked against the commit GitHub says the run was for.
//
// Environment: REPORT_DIR (holding pull-request.json and audit.md), HEAD_SHA (the triggering run's
// head commit), RUN_URL (that run), GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY.
// Writes `number=<pull request>` to GITHUB_OUTPUT once the number is verified.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MARKER = "<!-- launchpad-audit -->";
const BOT = "github-actions[bot]";
// GitHub refuses comments over 65536 characters.
const MAX_BODY = 60000;

/** The comment body: the marker, then the report (or why there is none). */
function commentBody(markdown, runUrl) {
  if (markdown === undefined) {
    return `${MARKER}\n## launchpad audit\n\n❌ The audit produced no report (invalid configuration or usage): see [the run](${runUrl}).\n`;
  }
  const report =
    markdown.length > MAX_BODY
      ? `${markdown.slice(0, MAX_BODY)}\n\n…truncated: the full report is in [the run](${runUrl}).\n`
      : markdown;
  return `${MARKER}\n${report}`;
}

function api(env) {
  const base = `${env.GITHUB_API_URL}/repos/${env.GITHUB_REPOSITORY}`;
  return async (method, route, body) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${env.GITHUB_TOKEN}`,
        "x-github-api-version": "2022-11-28",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${route}: GitHub answered ${response.status}`);
    return response.json();
  };
}

/** The bot's earlier audit comment on pull request `number`, if any. */
async function findComment(call, number) {
  for (let page = 1; ; page++) {
    const comments = await call("GET", `/issues/${number}/comments?per_page=100&page=${page}`);
    const mine = comments.find((c) => c.user?.login === BOT && c.body?.startsWith(MARKER));
    if (mine || comments.length < 100) return mine;
  }
}

/** Verifies the report's pull request, then creates or updates the one audit comment on it. */
async function publish(env) {
  const dir = env.REPORT_DIR;
  const { number } = JSON.parse(fs.readFileSync(path.join(dir, "pull-request.json"), "utf8"));
  if (!Number.isInteger(number) || number <= 0) throw new Error(`not a pull request number: ${number}`);
  const call = api(env);
  const pull = await call("GET", `/pulls/${number}`);
  if (pull.head?.sha !== env.HEAD_SHA) {
    throw new Error(`pull request #${number} is not at ${env.HEAD_SHA}: refusing to comment on it`);
  }
  const file = path.join(dir, "audit.md");
  const body = commentBody(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined, env.RUN_URL);
  const existing = await findComment(call, number);
  if (existing) await call("PATCH", `/issues/comments/${existing.id}`, { body });
  else await call("POST", `/issues/${number}/comments`, { body });
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `number=${number}\n`);
  return { number, updated: Boolean(existing) };
}

module.exports = { commentBody, publish, MARKER };

if (require.main === module) {
  publish(process.env).then(
    ({ number, updated }) =>
      process.stdout.write(`audit comment ${updated ? "updated" : "posted"} on #${number}\n`),
    (error) => {
      process.stderr.write(`audit-comment: ${error.message}\n`);
      process.exit(1);
    },
  );
}
