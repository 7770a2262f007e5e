/** Fault-injection switches of the fake Fly API. */

export interface InjectedFailure {
  method?: string;
  /** Matches the request path (string: exact, RegExp: test). */
  path?: string | RegExp;
  /**
   * HTTP status to answer with, `"drop"` to close the connection without answering, or none to
   * answer normally (with `delayMs`: a slow response).
   */
  status?: number | "drop";
  /** Real delay before answering, in ms. */
  delayMs?: number;
  /** Error text of the injected answer (default: a generic one per status). */
  message?: string;
  /** Retry-After header value, sent as is. */
  retryAfter?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Apply the request first, then fail the response: a lost response, or a crash after the call. */
  afterApply?: boolean;
}

export interface FakeFaults {
  failures: InjectedFailure[];
  /** Real delay before every response, in ms (a slow API). */
  latencyMs: number;
  /** Checks of every machine stay `critical`. */
  healthNeverPasses: boolean;
  /** Checks stay `critical` for machines running these images. */
  unhealthyImages: Set<string>;
  /** Image → clock ticks after a start before its checks pass (an app slow to boot). */
  slowImages: Map<string, number>;
  /** Exit code of one-shot (auto_destroy) machines such as release commands. */
  releaseExitCode: number;
  /** Answer without a `Date` header (a server with no clock; the client then times on its own). */
  omitDate: boolean;
  /** Lease responses: `wrapped` as the live API (`{status, data}`), or `flat` as the spec documents. */
  leaseShape: "wrapped" | "flat";
}

export function defaultFaults(): FakeFaults {
  return {
    failures: [],
    latencyMs: 0,
    healthNeverPasses: false,
    unhealthyImages: new Set(),
    slowImages: new Map(),
    releaseExitCode: 0,
    omitDate: false,
    leaseShape: "wrapped",
  };
}

/** Takes one use of the first injected failure matching the request, if any. */
export function takeFailure(faults: FakeFaults, method: string, path: string): InjectedFailure | undefined {
  const idx = faults.failures.findIndex(
    (f) =>
      (!f.method || f.method === method) &&
      (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
  );
  if (idx < 0) return undefined;
  const failure = faults.failures[idx];
  const left = (failure.times ?? 1) - 1;
  if (left <= 0) faults.failures.splice(idx, 1);
  else faults.failures[idx] = { ...failure, times: left };
  return failure;
}
