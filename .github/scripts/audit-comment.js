#!/usr/bin/env node
// Posts an offline report of a pull request (the audit, or the plan diff) as ONE comment per report,
// updated on every run (never duplicated).
// Runs in the `Publish audit` workflow (workflow_run), with the base repository's token, on a report
// that the pull request's own run produced: the report is untrusted data, only ever posted as text,
// and the pull request number it names is checked against the commit GitHub says the run was for.
//
// Environment: REPORT_DIR (holding pull-request.json and the report), REPORT_FILE (which report:
// audit.md, the default, or plan-diff.md), HEAD_SHA (the triggering run's head commit), RUN_URL
// (that run), GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY.
// Writes `number=<pull request>` to GITHUB_OUTPUT once the number is verified.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MARKER = "<!-- launchpad-audit -->";
/** The reports this script posts, each under its own marker: file → title and what produces it. */
const REPORTS = {
  "audit.md": { title: "launchpad audit", noun: "audit" },
  "plan-diff.md": { title: "launchpad plan --diff", noun: "plan diff" },
};
const BOT = "github-actions[bot]";
// GitHub refuses comments over 65536 characters.
const MAX_BODY = 60000;

/** The report REPORT_FILE names, its comment marker and title; any other name is refused. */
function reportOf(file = "audit.md") {
  if (!Object.hasOwn(REPORTS, file)) throw new Error(`unknown report ${JSON.stringify(file)}`);
  return { file, marker: `<!-- launchpad-${file.slice(0, -".md".length)} -->`, ...REPORTS[file] };
}

/** The comment body: the marker, then the report (or why there is none). */
function commentBody(markdown, runUrl, report = reportOf()) {
  const marker = report.marker;
  if (markdown === undefined) {
    return `${marker}\n## ${report.title}\n\n❌ The ${report.noun} produced no report (invalid configuration or usage): see [the run](${runUrl}).\n`;
  }
  const text =
    markdown.length > MAX_BODY
      ? `${markdown.slice(0, MAX_BODY)}\n\n…truncated: the full report is in [the run](${runUrl}).\n`
      : markdown;
  return `${marker}\n${text}`;
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

/** The bot's earlier comment with this marker on pull request `number`, if any. */
async function findComment(call, number, marker) {
  for (let page = 1; ; page++) {
    const comments = await call("GET", `/issues/${number}/comments?per_page=100&page=${page}`);
    const mine = comments.find((c) => c.user?.login === BOT && c.body?.startsWith(marker));
    if (mine || comments.length < 100) return mine;
  }
}

/** Verifies the report's pull request, then creates or updates the one comment of that report on it. */
async function publish(env) {
  const dir = env.REPORT_DIR;
  const report = reportOf(env.REPORT_FILE || undefined);
  const { number } = JSON.parse(fs.readFileSync(path.join(dir, "pull-request.json"), "utf8"));
  if (!Number.isInteger(number) || number <= 0) throw new Error(`not a pull request number: ${number}`);
  const call = api(env);
  const pull = await call("GET", `/pulls/${number}`);
  if (pull.head?.sha !== env.HEAD_SHA) {
    throw new Error(`pull request #${number} is not at ${env.HEAD_SHA}: refusing to comment on it`);
  }
  const file = path.join(dir, report.file);
  const body = commentBody(
    fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined,
    env.RUN_URL,
    report,
  );
  const existing = await findComment(call, number, report.marker);
  if (existing) await call("PATCH", `/issues/comments/${existing.id}`, { body });
  else await call("POST", `/issues/${number}/comments`, { body });
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `number=${number}\n`);
  return { number, updated: Boolean(existing), noun: report.noun };
}

module.exports = { commentBody, publish, reportOf, MARKER };

if (require.main === module) {
  publish(process.env).then(
    ({ number, updated, noun }) =>
      process.stdout.write(`${noun} comment ${updated ? "updated" : "posted"} on #${number}\n`),
    (error) => {
      process.stderr.write(`audit-comment: ${error.message}\n`);
      process.exit(1);
    },
  );
}
