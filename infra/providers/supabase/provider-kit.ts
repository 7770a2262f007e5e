/** Small helpers shared by the Supabase settings providers. */

import type * as pulumi from "@pulumi/pulumi";
import { PROJECT_REF } from "./inputs";
import { readSettings } from "./settings";

/** Module part of every Supabase settings type token: `pulumi-nodejs:dynamic/supabase:<Type>`. */
export const TYPE_MODULE = "supabase";

/** Resource args: each field may be a Pulumi input. */
export type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export interface CheckFailure {
  property: string;
  reason: string;
}

export function failure(property: string, reason: string): CheckFailure {
  return { property, reason };
}

export function projectRefFailures(projectRef: unknown): CheckFailure[] {
  return typeof projectRef === "string" && PROJECT_REF.test(projectRef)
    ? []
    : [failure("projectRef", "expected a Supabase project ref: 20 lowercase letters")];
}

/** Keys whose values differ, lists compared as given (callers normalise them first). */
export function changedKeys<T extends object>(
  olds: Partial<T>,
  news: Partial<T>,
  keys: (keyof T)[],
): string[] {
  return keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null)).map(String);
}

/**
 * What deleting a settings resource does: nothing to the project, which keeps the settings it has.
 * Said in the engine's log so nobody mistakes the deletion for a reset.
 */
export function leftAsIs(what: string, projectRef: string): void {
  const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
  pulumi.log.info(
    `${what} of Supabase project ${projectRef}: no longer managed; the project keeps its current settings`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads until `done` holds, for settings the API applies in the background; fails after the
 * configured apply timeout, naming what did not settle.
 */
export async function waitUntilApplied<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const { pollIntervalMs, applyTimeoutMs } = readSettings();
  const deadline = Date.now() + applyTimeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      throw new Error(`${what} was not applied within ${applyTimeoutMs} ms (SUPABASE_API_APPLY_TIMEOUT_MS)`);
    }
    await sleep(pollIntervalMs);
  }
}
