/** What variable names say about their values. */
import { PUBLIC_ENV_NAME } from "../../../infra/config/schema/frontend";

/**
 * Names that carry a credential: `*_KEY`, `*SECRET*`, `*TOKEN*`, `*PASSWORD*` (and `*_PASS`),
 * `DATABASE_URL` and its variants (connection strings embed a password).
 */
const SECRET_NAME = /(_KEY$|SECRET|TOKEN|PASSWORD|PASSWD|_PASS$|^DATABASE(_[A-Z0-9]+)?_URL$)/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toUpperCase());
}

/** Variables with a public prefix are inlined into the browser bundle. */
export function isPublicName(name: string): boolean {
  return PUBLIC_ENV_NAME.test(name);
}

/**
 * Public names that announce a privileged credential. Publishable keys (Supabase's anon key, a
 * captcha site key) are public by design and are not matched.
 */
const PRIVILEGED_PUBLIC_NAME = /(SERVICE_ROLE|SERVICE_KEY|SECRET|PASSWORD|PRIVATE|TOKEN|DATABASE_URL)/;

export function isPrivilegedPublicName(name: string): boolean {
  return isPublicName(name) && PRIVILEGED_PUBLIC_NAME.test(name);
}

/** Variables that carry a CORS allow-list. */
export function isCorsName(name: string): boolean {
  return /(ALLOWED_ORIGINS?|CORS_ORIGINS?|CORS_ALLOW(ED)?_ORIGINS?)$/.test(name.toUpperCase());
}

/** Variables that configure a rate limit. */
export function isRateLimitName(name: string): boolean {
  return /RATE_?LIMIT/.test(name.toUpperCase());
}
