/** GitHub events worth a Discord message: CI runs, deployments (Vercel reports its own), check suites. */
export const GITHUB_ALERT_EVENTS = ["workflow_run", "deployment_status", "check_suite"] as const;

/**
 * Discord accepts GitHub's webhook payloads at `<webhook>/github`; the query (e.g. `thread_id`) stays.
 * Works on the secret's value inside an `apply`, so it never logs or returns anything but the URL.
 */
export function githubCompatibleWebhookUrl(webhookUrl: string): string {
  const url = new URL(webhookUrl);
  if (url.protocol !== "https:") throw new Error("the Discord webhook URL must use https");
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/github`;
  return url.toString();
}
