/** Fault-injection switches of the fake Storage API. */

export interface InjectedFailure {
  method?: string;
  /** Matches the request path (string: exact, RegExp: test). */
  path?: string | RegExp;
  /** HTTP status answered instead of handling the request (429, 500, 503…). */
  status?: number;
  /** Error text of the injected answer (e.g. one echoing a credential, as a careless server might). */
  message?: string;
  /** Retry-After header value, sent as is. */
  retryAfter?: string;
  /**
   * Cut the connection after this many bytes of the request body have arrived, answering nothing:
   * an upload broken mid-way. Nothing of it becomes visible.
   */
  cutAfterBytes?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

/** Takes one use of the first injected failure matching the request, if any. */
export function takeFailure(
  failures: InjectedFailure[],
  method: string,
  path: string,
): InjectedFailure | undefined {
  const index = failures.findIndex(
    (f) =>
      (!f.method || f.method === method) &&
      (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path))),
  );
  if (index < 0) return undefined;
  const failure = failures[index]!;
  const left = (failure.times ?? 1) - 1;
  if (left <= 0) failures.splice(index, 1);
  else failures[index] = { ...failure, times: left };
  return failure;
}
