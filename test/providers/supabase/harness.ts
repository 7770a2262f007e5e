/**
 * Test harness: a fresh fake Management API per test with one project, the client pointed at it
 * through the environment variables production reads, fast pacing; and a small driver that runs a
 * provider the way the engine does on `pulumi up` (check, then create; or refresh, diff, update).
 */

import type * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import {
  type FakeManagementApi,
  type FakeProject,
  startFakeManagementApi,
} from "../../fakes/supabase-management";
import { useFakeApi } from "../fake-api";

export const REF = "launchpadtestproject";

export interface Fixture {
  api: FakeManagementApi;
  project: FakeProject;
}

/** Registers hooks and returns a getter for the current test's fake and project. */
export function useFakeManagement(): () => Fixture {
  return useFakeApi<Fixture>({
    what: "the fake Management API",
    async start() {
      const api = await startFakeManagementApi();
      return { api, project: api.store.addProject(REF) };
    },
    env: ({ api }) => ({
      SUPABASE_ACCESS_TOKEN: api.token,
      SUPABASE_API_BASE_URL: api.url,
      SUPABASE_API_RETRY_BASE_MS: "1",
      SUPABASE_API_RETRY_MAX_MS: "20",
      SUPABASE_API_MAX_RETRIES: "3",
      SUPABASE_API_TIMEOUT_MS: "2000",
      SUPABASE_API_POLL_INTERVAL_MS: "1",
      SUPABASE_API_APPLY_TIMEOUT_MS: "2000",
    }),
    async stop({ api }) {
      // Whatever a test did, the fake never answered outside the spec.
      expect(api.responseProblems).toEqual([]);
      await api.close();
    },
  });
}

export interface State<O> {
  id: string;
  outs: O;
}

type Provider<I, O> = pulumi.dynamic.ResourceProvider<I, O>;

/** `pulumi up` for one resource: create when there is no state, else refresh, diff and update. */
export async function up<I, O>(provider: Provider<I, O>, inputs: I, state?: State<O>): Promise<State<O>> {
  const checked = await provider.check!((state?.outs ?? {}) as I, inputs);
  expect(checked.failures ?? []).toEqual([]);
  if (!state) {
    const created = await provider.create(checked.inputs as I);
    return { id: created.id, outs: created.outs as O };
  }
  const refreshed = await provider.read!(state.id, state.outs);
  const props = refreshed.props as O;
  const diff = await provider.diff!(state.id, props, checked.inputs as I);
  if (!diff.changes) return { id: state.id, outs: props };
  const updated = await provider.update!(state.id, props, checked.inputs as I);
  return { id: state.id, outs: updated.outs as O };
}

/** Whether a refresh finds the live project different from the state (drift). */
export async function drifted<I, O>(provider: Provider<I, O>, inputs: I, state: State<O>): Promise<boolean> {
  const refreshed = await provider.read!(state.id, state.outs);
  const checked = await provider.check!(refreshed.props as I, inputs);
  return (await provider.diff!(state.id, refreshed.props as O, checked.inputs as I)).changes === true;
}
