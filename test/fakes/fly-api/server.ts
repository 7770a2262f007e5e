/**
 * The fake Fly Machines API: the fake kit's API server (routing by the spec's own paths, the token,
 * injected faults) answering with Fly's handlers, after validating request bodies against the
 * spec's schemas; every request is recorded.
 */

import { type ApiRequest, type RunningApi, startApi } from "../../../tools/fakes/kit/api-server";
import type { RouteMatch } from "../../../tools/fakes/kit/spec";
import { appHandlers } from "./apps";
import { defaultFaults, type FakeFaults } from "./faults";
import { error, type Handler, type Reply } from "./handler";
import { machineHandlers } from "./machines";
import { resourceHandlers } from "./resources";
import { loadSpec, type JsonSchema, specOperations } from "./spec";
import { FakeStore } from "./store";
import { SchemaValidator } from "./validate";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId: string;
  body: unknown;
  status: number;
}

export type FakeFlyApi = RunningApi<FakeStore, FakeFaults, RecordedRequest>;

export interface FakeOptions {
  token?: string;
  orgs?: string[];
}

const HANDLERS: Record<string, Handler> = { ...appHandlers, ...machineHandlers, ...resourceHandlers };

export async function startFakeFlyApi(opts: FakeOptions = {}): Promise<FakeFlyApi> {
  const token = opts.token ?? `fo1_fake_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const doc = loadSpec();
  const validator = new SchemaValidator(doc);
  const faults = defaultFaults();
  const store = new FakeStore(faults, new Set(opts.orgs ?? ["personal", "launchpad"]));
  const requests: RecordedRequest[] = [];

  function answer(request: ApiRequest<JsonSchema>, { op, params }: RouteMatch<JsonSchema>): Reply {
    const { json } = request;
    if (op.bodyRequired && json === undefined) return error(400, "request body is required");
    const problems = json !== undefined && op.bodySchema ? validator.validate(op.bodySchema, json) : [];
    if (problems.length) return error(400, `invalid request body: ${problems.join("; ")}`);
    const appName = params.app_name;
    const app = appName !== undefined ? store.apps.get(appName) : undefined;
    if (appName !== undefined && !app && op.operationId !== "Apps_create") return error(404, "app not found");
    return HANDLERS[op.operationId]!({
      store,
      params,
      query: request.url.searchParams,
      body: json ?? {},
      headers: request.headers,
      app: app as NonNullable<typeof app>,
    });
  }

  return startApi<JsonSchema, FakeStore, FakeFaults, RecordedRequest>(
    {
      token,
      ops: specOperations(doc),
      failures: faults.failures,
      error,
      unauthorized: "unauthorized",
      record({ method, url, match, json }) {
        const record: RecordedRequest = {
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams.entries()),
          operationId: match?.op.operationId ?? "unknown",
          body: json,
          status: 0,
        };
        requests.push(record);
        store.advance(1);
        return record;
      },
      implements: (operationId) => Object.hasOwn(HANDLERS, operationId),
      answer,
      latencyMs: () => faults.latencyMs,
      // The fake's own clock, as the live API sends its own: callers time health grace periods on it.
      date: () => (faults.omitDate ? null : new Date(store.unix() * 1000).toUTCString()),
      crashBody: (message) => ({ error: message }),
    },
    { store, faults, requests },
  );
}
