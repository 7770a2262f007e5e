/** Fault-injection switches of the fake Management API. */

export interface InjectedFailure {
  method?: string;
  /** Matches the request path (string: exact, RegExp: test). */
  path?: string | RegExp;
  /** HTTP status to answer with, or `"drop"` to close the connection without answering. */
  status?: number | "drop";
  /** Real delay before answering, in ms (beyond the client's timeout: a timeout). */
  delayMs?: number;
  /** Retry-After header value, sent as is. */
  retryAfter?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Apply the request first, then fail the response (a lost answer after a change). */
  afterApply?: boolean;
}

export interface FakeFaults {
  failures: InjectedFailure[];
  /**
   * A slow apply: after a change of SSL enforcement or network restrictions, this many reads still
   * report it as not yet applied (`appliedSuccessfully: false`, `status: stored`).
   */
  slowApplyReads: number;
}

export function defaultFaults(): FakeFaults {
  return { failures: [], slowApplyReads: 0 };
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
