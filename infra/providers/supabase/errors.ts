/**
 * Errors raised by the Management API client: they name the project and the setting, carry the
 * API's own text, and are scrubbed of the token. Plain `Error`s made by a factory, not a subclass:
 * a dynamic provider's code is serialized into state, and a revived subclass stops being an Error.
 */

export interface SupabaseApiError extends Error {
  name: "SupabaseApiError";
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  status: number;
  /** What was being managed, e.g. `auth config of project abcdefghijklmnopqrst`. */
  resource: string;
  /** `METHOD /v1/...` of the failing call. */
  operation: string;
  /** The API's error text. */
  apiError: string;
}

export function supabaseApiError(
  status: number,
  resource: string,
  operation: string,
  apiError: string,
): SupabaseApiError {
  const hint =
    status === 401
      ? " (check SUPABASE_ACCESS_TOKEN)"
      : status === 403
        ? " (the token lacks the scope this call needs: see docs/providers.md, Supabase)"
        : "";
  const message =
    `Supabase Management API ${operation} for ${resource} failed` +
    (status ? ` with HTTP ${status}` : "") +
    (apiError ? `: ${apiError}` : "") +
    hint;
  return Object.assign(new Error(message), {
    name: "SupabaseApiError" as const,
    status,
    resource,
    operation,
    apiError,
  });
}

export function isSupabaseApiError(e: unknown, status?: number): e is SupabaseApiError {
  return (
    e instanceof Error &&
    e.name === "SupabaseApiError" &&
    (status === undefined || (e as SupabaseApiError).status === status)
  );
}
