/** Scrubbing of secret values out of error texts, in case a server ever echoes one back. */

/** Replaces every occurrence of the secret in a text. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join("[redacted]");
}

/** The same error with each secret value replaced in its message and stack (and `apiError` text). */
export function scrubbed(e: unknown, secrets: string[]): unknown {
  if (!(e instanceof Error)) return e;
  const clean = (text: string) => secrets.reduce((t, secret) => redact(t, secret), text);
  e.message = clean(e.message);
  if (e.stack) e.stack = clean(e.stack);
  const withApiText = e as Error & { apiError?: unknown; flyError?: unknown };
  if (typeof withApiText.apiError === "string") withApiText.apiError = clean(withApiText.apiError);
  if (typeof withApiText.flyError === "string") withApiText.flyError = clean(withApiText.flyError);
  return e;
}
