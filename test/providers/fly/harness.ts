/**
 * Test harness: a fresh fake Fly API per test, with the client pointed at it through the same
 * environment variables production uses, and fast retry/poll pacing.
 */

import { type FakeFlyApi, startFakeFlyApi } from "../../fakes/fly-api";
import { useFakeApi } from "../fake-api";

export const ORG = "launchpad";

/** Registers hooks and returns a getter for the current test's fake. */
export function useFakeFly(): () => FakeFlyApi {
  return useFakeApi({
    what: "the fake Fly API",
    start: () => startFakeFlyApi({ orgs: [ORG, "someone-else"] }),
    env: (fake) => ({
      FLY_API_TOKEN: fake.token,
      FLY_API_BASE_URL: fake.url,
      FLY_API_RETRY_BASE_MS: "1",
      FLY_API_RETRY_MAX_MS: "20",
      FLY_API_MAX_RETRIES: "4",
      FLY_API_TIMEOUT_MS: "2000",
      FLY_POLL_INTERVAL_MS: "5",
    }),
    stop: (fake) => fake.close(),
  });
}

/** Counts recorded requests by `METHOD operationId`. */
export function callCounts(fake: FakeFlyApi, from = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests.slice(from))
    counts[`${r.method} ${r.operationId}`] = (counts[`${r.method} ${r.operationId}`] ?? 0) + 1;
  return counts;
}
