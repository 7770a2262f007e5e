/** The shape of the fake's route handlers. */

import type { IncomingHttpHeaders } from "node:http";
import type { FakeApp, FakeStore } from "./store";

export interface Ctx {
  store: FakeStore;
  params: Record<string, string>;
  query: URLSearchParams;
  // Bodies are validated against the spec before a handler sees them.
  body: any;
  headers: IncomingHttpHeaders;
  /** The `{app_name}` of the path, resolved (the server answers 404 when it does not exist). */
  app: FakeApp;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

export const error = (status: number, message: string, flyStatus?: string): Reply => ({
  status,
  body: { error: message, ...(flyStatus ? { status: flyStatus } : {}) },
});
