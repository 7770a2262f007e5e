/** Which injected failure a request meets: the matching part every fake's failures share. */

export interface FailureMatch {
  method?: string;
  /** Matches the request path (string: exact, RegExp: test). */
  path?: string | RegExp;
  /** How many matching requests fail (default 1). */
  times?: number;
}

/** Takes one use of the first injected failure matching the request, if any. */
export function takeFailure<F extends FailureMatch>(
  failures: F[],
  method: string,
  path: string,
): F | undefined {
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
