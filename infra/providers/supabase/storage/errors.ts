/**
 * Errors of the Storage client: the operation, the object and Storage's own error text, scrubbed of
 * the service key. A plain Error with fields, like the Fly client's (see fly/errors.ts for why).
 */

export interface StorageApiError extends Error {
  name: "StorageApiError";
  /** HTTP status, or 0 when no response arrived (connection cut, timeout). */
  status: number;
  resource: string;
  operation: string;
  /** Storage's `error`/`message` text. */
  apiError: string;
  /** Storage's `statusCode` (a string in its error schema). */
  code?: string;
}

export function storageApiError(
  status: number,
  resource: string,
  operation: string,
  apiError: string,
  code?: string,
): StorageApiError {
  const message =
    `Storage ${operation} for ${resource} failed` +
    (status ? ` with HTTP ${status}` : "") +
    (apiError ? `: ${apiError}` : "");
  return Object.assign(new Error(message), {
    name: "StorageApiError" as const,
    status,
    resource,
    operation,
    apiError,
    ...(code !== undefined ? { code } : {}),
  });
}

export function isStorageApiError(e: unknown): e is StorageApiError {
  return e instanceof Error && e.name === "StorageApiError";
}
