#!/usr/bin/env node
// Marks a deploy or rollback of a stack on the Grafana dashboard of each app it deploys: one
// organisation annotation per app (Grafana's HTTP API, POST /api/annotations), spanning the update,
// tagged `deploy`, the app and the stack (the tags each dashboard's "Deploys" query and panel read,
// infra/components/monitoring-dashboard.ts), with the commit, its author, the outcome and a link to the run.
// The apps are those the stack watches: the keys of the `alerts` output in DEPLOY_PLAN, the
// `launchpad plan --format json` of the revision deployed.
// Inputs come from the environment (never interpolated into a script): GRAFANA_URL, GRAFANA_ANNOTATIONS_TOKEN
// (a service-account token allowed to create annotations, sent as a bearer token and never printed),
// DEPLOY_PLAN, NOTIFY_ACTION (deploy, rollback), NOTIFY_STATUS (the update's outcome), NOTIFY_STACK,
// NOTIFY_STARTED_AT (epoch seconds), NOTIFY_AUTHOR, NOTIFY_COMMIT, and GitHub's GITHUB_SERVER_URL,
// GITHUB_REPOSITORY, GITHUB_RUN_ID.
// A mark that cannot be posted is a warning on the run, never a failed deploy.
"use strict";

const { readStackAlerts, stackAlerts } = require("./deploy-plan.js");

/** Seconds a POST may take before it is given up. */
const TIMEOUT_MS = 15_000;

/** The apps of `stack` in a `launchpad plan --format json` report, in the catalog's order. */
function watchedApps(plan, stack) {
  return Object.keys(stackAlerts(plan, stack));
}

const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

/** The annotation of `app` for the update `env` describes, ending at `nowSeconds`. */
function deployAnnotation(env, app, nowSeconds) {
  const action = env.NOTIFY_ACTION === "rollback" ? "rollback" : "deploy";
  const status = env.NOTIFY_STATUS || "unknown";
  const stack = env.NOTIFY_STACK || "";
  const started = Number(env.NOTIFY_STARTED_AT);
  const end = Math.round(nowSeconds * 1000);
  const start = Number.isFinite(started) && started > 0 && started <= nowSeconds ? started * 1000 : end;
  const runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  const commit = (env.NOTIFY_COMMIT || "").slice(0, 12) || "?";
  return {
    time: start,
    timeEnd: end,
    // `deploy`, the app and the stack select it on the app's dashboard; a rollback says so too.
    tags: ["deploy", app, stack, ...(action === "rollback" ? ["rollback"] : []), status],
    text:
      `${action} ${escapeHtml(commit)} of ${escapeHtml(env.GITHUB_REPOSITORY || "?")} by ` +
      `${escapeHtml(env.NOTIFY_AUTHOR || "?")}: ${escapeHtml(status)} — <a href="${escapeHtml(runUrl)}">run ${escapeHtml(env.GITHUB_RUN_ID || "?")}</a>`,
  };
}

module.exports = { deployAnnotation, watchedApps };

/** Posts one annotation; resolves to an error message, or undefined once Grafana accepted it. */
async function post(baseUrl, token, annotation) {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, "")}/api/annotations`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify(annotation),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.ok) return undefined;
    return `Grafana answered ${response.status}`;
  } catch (error) {
    // The token is a secret: whatever the error says, it never carries it.
    return String(error && error.message ? error.message : error)
      .split(token)
      .join("***");
  }
}

async function main() {
  const warn = (text) => process.stdout.write(`::warning::${text}\n`);
  const { GRAFANA_URL: url, GRAFANA_ANNOTATIONS_TOKEN: token, DEPLOY_PLAN: planFile } = process.env;
  if (!url || !token) {
    warn(
      "GRAFANA_URL or GRAFANA_ANNOTATIONS_TOKEN is not set in this environment: the deploy is not marked on the dashboards",
    );
    return;
  }
  let apps;
  try {
    apps = Object.keys(readStackAlerts(planFile, process.env.NOTIFY_STACK));
  } catch (error) {
    warn(
      `no plan to read the stack's apps from (${error.message}): the deploy is not marked on the dashboards`,
    );
    return;
  }
  const now = Date.now() / 1000;
  for (const app of apps) {
    const failure = await post(url, token, deployAnnotation(process.env, app, now));
    if (failure) warn(`deploy mark of ${app} not posted: ${failure}`);
    else process.stdout.write(`marked on Grafana: ${app}\n`);
  }
}

if (require.main === module) void main();
