/**
 * The GitHub events Discord's GitHub-compatible endpoint renders (discord/discord-api-docs, "Execute
 * GitHub-Compatible Webhook", from issue 6203). It answers every other event with success and posts
 * nothing, so `workflow_run` and `deployment_status` would be silently lost.
 */
export const DISCORD_GITHUB_EVENTS = [
  "commit_comment",
  "create",
  "delete",
  "fork",
  "issue_comment",
  "issues",
  "member",
  "public",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "push",
  "release",
  "watch",
  "check_run",
  "check_suite",
  "discussion",
  "discussion_comment",
] as const;
export type DiscordGithubEvent = (typeof DISCORD_GITHUB_EVENTS)[number];

/**
 * What the repository webhook sends the channel: each completed check suite (one per GitHub Actions
 * workflow run, and Vercel's checks: success or failure, with a link), pushes (commits and their
 * authors), pull requests and releases. Duration and "Déploiement réussi" come from the workflows
 * themselves (.github/actions/discord-notify), which Discord's renderer cannot give.
 */
export const GITHUB_ALERT_EVENTS: readonly DiscordGithubEvent[] = [
  "check_suite",
  "push",
  "pull_request",
  "release",
];

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
