/**
 * Test harness: a fresh fake Management API per test with one project, the client pointed at it
 * through the environment variables production reads, fast pacing; and a small driver that runs a
 * provider the way the engine does on `pulumi up` (check, then create; or refresh, diff, update).
 */

import type * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, expect } from "vitest";
import {
  type FakeManagementApi,
  type FakeProject,
  startFakeManagementApi,
} from "../../fakes/supabase-management";

const KEYS = [
  "SUPABASE_ACCESS_TOKEN",
  "SUPABASE_API_BASE_URL",
  "SUPABASE_API_RETRY_BASE_MS",
  "SUPABASE_API_RETRY_MAX_MS",
  "SUPABASE_API_MAX_RETRIES",
  "SUPABASE_API_TIMEOUT_MS",
  "SUPABASE_API_POLL_INTERVAL_MS",
  "SUPABASE_API_APPLY_TIMEOUT_MS",
] as const;

export const REF = "launchpadtestproject";

export interface Fixture {
  api: FakeManagementApi;
  project: FakeProject;
}

/** Registers hooks and returns a getter for the current test's fake and project. */
export function useFakeManagement(): () => Fixture {
  let fixture: Fixture | undefined;
  const saved: Partial<Record<(typeof KEYS)[number], string | undefined>> = {};
  beforeEach(async () => {
    const api = await startFakeManagementApi();
    fixture = { api, project: api.store.addProject(REF) };
    for (const k of KEYS) saved[k] = process.env[k];
    process.env.SUPABASE_ACCESS_TOKEN = api.token;
    process.env.SUPABASE_API_BASE_URL = api.url;
    process.env.SUPABASE_API_RETRY_BASE_MS = "1";
    process.env.SUPABASE_API_RETRY_MAX_MS = "20";
    process.env.SUPABASE_API_MAX_RETRIES = "3";
    process.env.SUPABASE_API_TIMEOUT_MS = "2000";
    process.env.SUPABASE_API_POLL_INTERVAL_MS = "1";
    process.env.SUPABASE_API_APPLY_TIMEOUT_MS = "2000";
  });
  afterEach(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    // Whatever a test did, the fake never answered outside the spec.
    expect(fixture?.api.responseProblems).toEqual([]);
    await fixture?.api.close();
    fixture = undefined;
  });
  return () => {
    if (!fixture) throw new Error("the fake Management API is only available inside a test");
    return fixture;
  };
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
