/**
 * Errors raised by the Fly client. Messages name the resource and carry Fly's own error text,
 * and are scrubbed of the API token in case a server ever echoes it back.
 *
 * Plain `Error`s with extra fields, made by factories rather than subclasses: Pulumi serializes a
 * dynamic provider's code into state, and a revived `class extends Error` no longer produces
 * real Errors, so the engine would report "[object Object]" instead of the message.
 */

export interface FlyApiError extends Error {
  name: "FlyApiError";
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  status: number;
  /** Human name of what was being managed, e.g. `machine web-1 of app mapquiz-prod`. */
  resource: string;
  /** `METHOD /v1/...` of the failing call. */
  operation: string;
  /** Fly's `error` text (or the raw body / network error message). */
  flyError: string;
  /** Fly's machine-readable `status`, e.g. `name_taken`. */
  flyStatus?: string;
}

export function flyApiError(
  status: number,
  resource: string,
  operation: string,
  flyError: string,
  flyStatus?: string,
): FlyApiError {
  const message =
    `Fly API ${operation} for ${resource} failed` +
    (status ? ` with HTTP ${status}` : "") +
    (flyError ? `: ${flyError}` : "");
  return Object.assign(new Error(message), {
    name: "FlyApiError" as const,
    status,
    resource,
    operation,
    flyError,
    ...(flyStatus !== undefined ? { flyStatus } : {}),
  });
}

export function isFlyApiError(e: unknown, status?: number): e is FlyApiError {
  return (
    e instanceof Error &&
    e.name === "FlyApiError" &&
    (status === undefined || (e as FlyApiError).status === status)
  );
}

export { redact, scrubbed } from "../http/redact";

/** A deploy that the API accepted but that launchpad stopped or rolled back (release, health). */
export interface FlyDeployError extends Error {
  name: "FlyDeployError";
  resource: string;
}

export function flyDeployError(resource: string, detail: string): FlyDeployError {
  return Object.assign(new Error(`Fly deploy of ${resource} failed: ${detail}`), {
    name: "FlyDeployError" as const,
    resource,
  });
}
