/**
 * The fake Supabase Management API: the fake kit's API server (routing by the spec's own paths,
 * the token, injected faults) answering with the Management handlers, after checking each request
 * (path parameters, body) and each of its own answers against the spec with Ajv; every request is
 * recorded.
 */

import { type ApiRequest, type RunningApi, startApi } from "../../../tools/fakes/kit/api-server";
import type { RouteMatch } from "../../../tools/fakes/kit/spec";
import { defaultFaults, type FakeFaults } from "./faults";
import { error, HANDLERS, type Reply } from "./handlers";
import { loadSpec, specOperations, SpecValidator } from "./spec";
import { FakeStore } from "./store";

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string;
  body: unknown;
  status: number;
  /** The Authorization header as received (tests check it is never anything but the token). */
  authorization?: string;
}

export interface FakeManagementApi extends RunningApi<FakeStore, FakeFaults, RecordedRequest> {
  /** Answers of the fake that did not match the spec (must stay empty). */
  responseProblems: string[];
}

type Schema = Record<string, unknown>;

export async function startFakeManagementApi(opts: { token?: string } = {}): Promise<FakeManagementApi> {
  const token = opts.token ?? `sbp_fake_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const validator = new SpecValidator();
  const faults = defaultFaults();
  const store = new FakeStore();
  const requests: RecordedRequest[] = [];
  const responseProblems: string[] = [];

  function answer({ json }: ApiRequest<Schema>, { op, params }: RouteMatch<Schema>): Reply {
    const problems = [...validator.params(op, params), ...validator.body(op, json)];
    const project = store.projects.get(params.ref ?? "");
    let reply: Reply;
    if (problems.length) reply = error(400, `invalid request: ${problems.join("; ")}`);
    else if (!project) reply = error(404, "Project not found");
    else reply = HANDLERS[op.operationId]!({ store, faults, project, body: json });
    const answerProblems = validator.response(op, reply.status, reply.body);
    if (answerProblems.length === 0) return reply;
    responseProblems.push(...answerProblems.map((p) => `${op.operationId}: ${p}`));
    return error(500, `the fake's answer breaks the spec: ${answerProblems.join("; ")}`);
  }

  const api = await startApi<Schema, FakeStore, FakeFaults, RecordedRequest>(
    {
      token,
      ops: specOperations(loadSpec()),
      failures: faults.failures,
      error,
      unauthorized: "Unauthorized",
      record({ method, url, match, json, headers }) {
        const record: RecordedRequest = {
          method,
          path: url.pathname,
          operationId: match?.op.operationId ?? "unknown",
          body: json,
          status: 0,
          authorization: headers.authorization,
        };
        requests.push(record);
        store.tick();
        return record;
      },
      implements: (operationId) => Object.hasOwn(HANDLERS, operationId),
      answer,
      crashBody: (message) => ({ message }),
    },
    { store, faults, requests },
  );
  return { ...api, responseProblems };
}
