/**
 * The hooks every provider test against a fake API needs: a fresh fake per test, the client
 * pointed at it through the environment variables production reads (each restored afterwards),
 * then the fake stopped.
 */

import { afterEach, beforeEach } from "vitest";

export interface FakeApiHooks<F> {
  /** Named in the error of a getter called outside a test, e.g. `the fake Fly API`. */
  readonly what: string;
  start(): Promise<F>;
  /** The environment the client reads, pointing at this fake with fast pacing. */
  env(fake: F): Record<string, string>;
  /** Stops the fake (and checks what must hold whatever the test did). */
  stop(fake: F): Promise<void>;
}

/** Registers the hooks and returns a getter for the current test's fake. */
export function useFakeApi<F>(hooks: FakeApiHooks<F>): () => F {
  let fake: F | undefined;
  const saved = new Map<string, string | undefined>();
  beforeEach(async () => {
    fake = await hooks.start();
    for (const [key, value] of Object.entries(hooks.env(fake))) {
      saved.set(key, process.env[key]);
      process.env[key] = value;
    }
  });
  afterEach(async () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
    const current = fake;
    fake = undefined;
    if (current !== undefined) await hooks.stop(current);
  });
  return () => {
    if (fake === undefined) throw new Error(`${hooks.what} is only available inside a test`);
    return fake;
  };
}
