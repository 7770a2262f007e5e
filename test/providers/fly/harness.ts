/**
 * Test harness: a fresh fake Fly API per test, with the client pointed at it through the same
 * environment variables production uses, and fast retry/poll pacing.
 */

import { afterEach, beforeEach } from "vitest";
import { type FakeFlyApi, startFakeFlyApi } from "../../fakes/fly-api";

const KEYS = [
  "FLY_API_TOKEN",
  "FLY_API_BASE_URL",
  "FLY_API_RETRY_BASE_MS",
  "FLY_API_RETRY_MAX_MS",
  "FLY_API_MAX_RETRIES",
  "FLY_API_TIMEOUT_MS",
  "FLY_POLL_INTERVAL_MS",
] as const;

export const ORG = "launchpad";

/** Registers hooks and returns a getter for the current test's fake. */
export function useFakeFly(): () => FakeFlyApi {
  let fake: FakeFlyApi | undefined;
  const saved: Partial<Record<(typeof KEYS)[number], string | undefined>> = {};
  beforeEach(async () => {
    fake = await startFakeFlyApi({ orgs: [ORG, "someone-else"] });
    for (const k of KEYS) saved[k] = process.env[k];
    process.env.FLY_API_TOKEN = fake.token;
    process.env.FLY_API_BASE_URL = fake.url;
    process.env.FLY_API_RETRY_BASE_MS = "1";
    process.env.FLY_API_RETRY_MAX_MS = "20";
    process.env.FLY_API_MAX_RETRIES = "4";
    process.env.FLY_API_TIMEOUT_MS = "2000";
    process.env.FLY_POLL_INTERVAL_MS = "5";
  });
  afterEach(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error("the fake Fly API is only available inside a test");
    return fake;
  };
}

/** Counts recorded requests by `METHOD operationId`. */
export function callCounts(fake: FakeFlyApi, from = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests.slice(from))
    counts[`${r.method} ${r.operationId}`] = (counts[`${r.method} ${r.operationId}`] ?? 0) + 1;
  return counts;
}
