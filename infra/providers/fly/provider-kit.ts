/** Small helpers shared by the Fly dynamic providers. */

import type * as pulumi from "@pulumi/pulumi";
import { stableStringify } from "./stable";

/** Resource args: every field of the provider's inputs may be a Pulumi input. */
export type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Module part of every Fly type token: `pulumi-nodejs:dynamic/fly:<Type>`. */
export const TYPE_MODULE = "fly";

/** Keys whose values differ, compared as canonical JSON. */
export function changedKeys<T extends object>(
  olds: Partial<T>,
  news: Partial<T>,
  keys: (keyof T)[],
): string[] {
  return keys
    .filter((k) => stableStringify(olds[k] ?? null) !== stableStringify(news[k] ?? null))
    .map(String);
}

export function failure(property: string, reason: string): { property: string; reason: string } {
  return { property, reason };
}

/** Fly app names: lowercase letters, digits and dashes. */
export const APP_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
