/**
 * Errors raised by the Fly client. Messages name the resource and carry Fly's own error text,
 * and are scrubbed of the API token in case a server ever echoes it back.
 */

export class FlyApiError extends Error {
  override readonly name = "FlyApiError";

  constructor(
    /** HTTP status, or 0 when no response arrived (network error, timeout). */
    readonly status: number,
    /** Human name of what was being managed, e.g. `machine web-1 of app mapquiz-prod`. */
    readonly resource: string,
    /** `METHOD /v1/...` of the failing call. */
    readonly operation: string,
    /** Fly's `error` text (or the raw body / network error message). */
    readonly flyError: string,
    /** Fly's machine-readable `status`, e.g. `name_taken`. */
    readonly flyStatus?: string,
  ) {
    super(
      `Fly API ${operation} for ${resource} failed` +
        (status ? ` with HTTP ${status}` : "") +
        (flyError ? `: ${flyError}` : ""),
    );
  }
}

/** Replaces every occurrence of the secret in a text. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join("[redacted]");
}

export function isFlyApiError(e: unknown, status?: number): e is FlyApiError {
  return e instanceof FlyApiError && (status === undefined || e.status === status);
}

/** A deploy that the API accepted but that launchpad stopped or rolled back (release, health). */
export class FlyDeployError extends Error {
  override readonly name = "FlyDeployError";

  constructor(
    readonly resource: string,
    detail: string,
  ) {
    super(`Fly deploy of ${resource} failed: ${detail}`);
  }
}
