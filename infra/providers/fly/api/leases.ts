/**
 * Machine leases: an exclusive lock on modifying a machine, proven by a nonce header.
 *
 * The spec documents the lease response flat (`Lease`), but the live API wraps it as
 * `{status: "success", data: Lease}`; both shapes are accepted.
 */

import { flyRequest } from "../http";
import type { Lease } from "../types";

const enc = encodeURIComponent;
const leasePath = (app: string, id: string) => `/v1/apps/${enc(app)}/machines/${enc(id)}/lease`;

export function unwrapLease(body: unknown): Lease | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { data?: unknown; nonce?: unknown };
  if (b.data && typeof b.data === "object") return b.data as Lease;
  return typeof b.nonce === "string" ? (b as Lease) : undefined;
}

export const leases = {
  /** Acquires a lease; 409 when someone else holds it. Returns the nonce. */
  async acquire(app: string, id: string, ttlSeconds: number, description: string): Promise<string> {
    const res = await flyRequest<unknown>({
      method: "POST",
      path: leasePath(app, id),
      body: { ttl: ttlSeconds, description },
      resource: `lease on machine ${id} of app ${app}`,
    });
    const nonce = unwrapLease(res.body)?.nonce;
    if (!nonce) throw new Error(`Fly API returned no lease nonce for machine ${id} of app ${app}`);
    return nonce;
  },

  async release(app: string, id: string, nonce: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: leasePath(app, id),
      headers: { "fly-machine-lease-nonce": nonce },
      resource: `lease on machine ${id} of app ${app}`,
      notFoundOk: true,
    });
  },
};

/** Runs `fn` holding a lease on the machine, and releases it whatever happens. */
export async function withLease<T>(
  app: string,
  id: string,
  ttlSeconds: number,
  description: string,
  fn: (nonce: string) => Promise<T>,
): Promise<T> {
  const nonce = await leases.acquire(app, id, ttlSeconds, description);
  try {
    return await fn(nonce);
  } finally {
    // A failed release only delays the next operation until the lease's TTL runs out.
    await leases.release(app, id, nonce).catch(() => undefined);
  }
}
