/** Retry policy shared by every REST client: what is retryable and how long to wait. */

import type { RestSettings } from "./settings";

/**
 * 429 means the request was not processed, so any call may be retried. A 5xx may follow a request
 * that was applied, so only idempotent calls are retried on it.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 429) return true;
  return idempotent && status >= 500 && status <= 599;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds; undefined when absent or invalid. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (0-based): the server's Retry-After when given, otherwise
 * exponential backoff with full jitter; both bounded by `retryMaxMs`.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  settings: Pick<RestSettings, "retryBaseMs" | "retryMaxMs">,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.retryMaxMs);
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** attempt);
  // Half fixed, half jitter: spreads concurrent clients without ever collapsing to zero.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
