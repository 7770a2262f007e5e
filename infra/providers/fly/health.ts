/** Waiting for a machine to start and for its health checks to pass. */

import { machines, MAX_WAIT_SECONDS, type MachineWaitState } from "./api/machines";
import { sleep } from "../http/retry";
import { readSettings } from "./settings";
import type { CheckStatus, Machine } from "./types";

/**
 * Waits for `state` with repeated server-side waits (each at most 60 s) until `timeoutSeconds`
 * of waiting has been asked for or has elapsed. Returns false on timeout.
 */
export async function waitForState(
  app: string,
  id: string,
  state: MachineWaitState,
  timeoutSeconds: number,
  version?: string,
): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  // Budgeted in requested seconds too, so a server that answers 408 early cannot make this spin.
  for (let budget = Math.max(1, Math.ceil(timeoutSeconds)); budget > 0;) {
    const timeout = Math.min(MAX_WAIT_SECONDS, budget);
    if (await machines.wait(app, id, state, { version, timeoutSeconds: timeout })) return true;
    budget -= timeout;
    if (Date.now() >= deadline) return false;
  }
  return false;
}

export interface HealthResult {
  healthy: boolean;
  machine: Machine | undefined;
  /** `name: status (output)` of each check that is not passing. */
  failing: string[];
}

function failingChecks(checks: CheckStatus[] | undefined): string[] {
  return (checks ?? [])
    .filter((c) => c.status !== "passing")
    .map((c) => `${c.name ?? "check"}: ${c.status ?? "unknown"}${c.output ? ` (${c.output})` : ""}`);
}

/**
 * Extra local time allowed past the wait before giving up on an API whose clock does not move
 * (a proxy replaying a cached `Date`); never reached while the API's clock advances.
 */
const STALLED_CLOCK_SLACK_MS = 60_000;

/**
 * Polls the machine until every check reports `passing`, or until `waitSeconds` are over (the
 * deploy's wait timeout, not the checks' grace period). A machine with no checks is healthy once
 * started.
 *
 * The wait is measured on the API's clock (its `Date` header) from the first poll: it is the
 * machine's time to become healthy, so delays on this side (a loaded runner, a slow network, our
 * own sleeps) must not eat into it. Without a `Date` header, the local clock measures it.
 */
export async function waitForHealthy(app: string, id: string, waitSeconds: number): Promise<HealthResult> {
  const { pollIntervalMs } = readSettings();
  const waitMs = waitSeconds * 1000;
  const localStart = Date.now();
  let serverStart: number | undefined;
  for (;;) {
    const { machine, serverTime } = await machines.observe(app, id);
    serverStart ??= serverTime;
    const configured =
      Object.keys(machine?.config?.checks ?? {}).length +
      (machine?.config?.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0);
    const failing = failingChecks(machine?.checks);
    const reported = machine?.checks?.length ?? 0;
    if (machine && machine.state === "started" && failing.length === 0 && reported >= configured) {
      return { healthy: true, machine, failing };
    }
    const localElapsed = Date.now() - localStart;
    const elapsed =
      serverTime !== undefined && serverStart !== undefined ? serverTime - serverStart : localElapsed;
    if (elapsed >= waitMs || localElapsed >= waitMs + STALLED_CLOCK_SLACK_MS) {
      const why = machine ? failing : ["machine not found"];
      if (machine && machine.state !== "started") why.unshift(`state ${machine.state ?? "unknown"}`);
      return { healthy: false, machine, failing: why };
    }
    await sleep(pollIntervalMs);
  }
}
