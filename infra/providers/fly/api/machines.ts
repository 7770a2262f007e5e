/** Machines endpoints: /v1/apps/{app}/machines. */

import { isFlyApiError } from "../errors";
import { flyRequest } from "../http";
import type { CreateMachineRequest, Machine, UpdateMachineRequest, WaitMachineResponse } from "../types";

const enc = encodeURIComponent;
const base = (app: string) => `/v1/apps/${enc(app)}/machines`;
const label = (app: string, id: string) => `machine ${id} of app ${app}`;
const leaseHeader = (nonce?: string) => (nonce ? { "fly-machine-lease-nonce": nonce } : undefined);

/** Longest server-side wait the API accepts for one `wait` call, in seconds. */
export const MAX_WAIT_SECONDS = 60;

export type MachineWaitState = "started" | "stopped" | "suspended" | "destroyed" | "failed" | "settled";

export const machines = {
  /** Machines of the app, optionally filtered by metadata (`metadata.<key>=<value>`). */
  async list(app: string, metadata: Record<string, string> = {}): Promise<Machine[]> {
    const query = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`metadata.${k}`, v]));
    const res = await flyRequest<Machine[]>({
      method: "GET",
      path: base(app),
      query,
      resource: `machines of app ${app}`,
    });
    return res.body ?? [];
  },

  async get(app: string, id: string): Promise<Machine | undefined> {
    return (await machines.observe(app, id)).machine;
  },

  /** The machine (undefined once gone) and the API's clock when it was read (see `serverTime`). */
  async observe(app: string, id: string): Promise<{ machine: Machine | undefined; serverTime?: number }> {
    const res = await flyRequest<Machine>({
      method: "GET",
      path: `${base(app)}/${enc(id)}`,
      resource: label(app, id),
      notFoundOk: true,
    });
    return { machine: res.status === 404 ? undefined : res.body, serverTime: res.serverTime };
  },

  /** Not idempotent: a retried create after a lost response could start a second machine. */
  async create(app: string, req: CreateMachineRequest, what: string): Promise<Machine> {
    const res = await flyRequest<Machine>({ method: "POST", path: base(app), body: req, resource: what });
    if (!res.body?.id) throw new Error(`Fly API returned no machine id for ${what}`);
    return res.body;
  },

  /** Replaces the machine's config; `current_version` makes a repeat a harmless 409. */
  async update(app: string, id: string, req: UpdateMachineRequest, nonce?: string): Promise<Machine> {
    const res = await flyRequest<Machine>({
      method: "POST",
      path: `${base(app)}/${enc(id)}`,
      body: req,
      headers: leaseHeader(nonce),
      resource: label(app, id),
    });
    if (!res.body?.id) throw new Error(`Fly API returned no machine for ${label(app, id)}`);
    return res.body;
  },

  /** Force-destroys; a missing machine counts as destroyed. */
  async destroy(app: string, id: string, nonce?: string): Promise<void> {
    await flyRequest({
      method: "DELETE",
      path: `${base(app)}/${enc(id)}`,
      query: { force: true },
      headers: leaseHeader(nonce),
      resource: label(app, id),
      notFoundOk: true,
    });
  },

  /** Asks the machine to stop (Fly sends the configured signal, then waits for the process to exit). */
  async stop(app: string, id: string): Promise<void> {
    await flyRequest({
      method: "POST",
      path: `${base(app)}/${enc(id)}/stop`,
      resource: label(app, id),
      idempotent: true,
    });
  },

  /** Disables the machine's services, so the Fly Proxy neither routes to it nor starts it again. */
  async cordon(app: string, id: string): Promise<void> {
    await flyRequest({
      method: "POST",
      path: `${base(app)}/${enc(id)}/cordon`,
      resource: label(app, id),
      idempotent: true,
    });
  },

  /**
   * Blocks server-side until the machine reaches `state`. Returns false when the server's
   * timeout (408) elapsed first, so callers can decide whether to wait again.
   */
  async wait(
    app: string,
    id: string,
    state: MachineWaitState,
    opts: { version?: string; timeoutSeconds?: number } = {},
  ): Promise<boolean> {
    const timeout = Math.min(opts.timeoutSeconds ?? MAX_WAIT_SECONDS, MAX_WAIT_SECONDS);
    try {
      const res = await flyRequest<WaitMachineResponse>({
        method: "GET",
        path: `${base(app)}/${enc(id)}/wait`,
        query: { state, timeout, version: opts.version },
        resource: label(app, id),
        extraTimeoutMs: timeout * 1000,
      });
      return res.body?.ok !== false;
    } catch (e) {
      if (isFlyApiError(e, 408)) return false;
      throw e;
    }
  },
};
