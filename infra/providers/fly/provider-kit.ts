/** Small helpers shared by the Fly dynamic providers. */

import type * as pulumi from "@pulumi/pulumi";
import { stableStringify } from "./stable";

/** A value whose every level may be a Pulumi input (e.g. a secret inside a map). */
export type DeepInput<T> = pulumi.Input<
  T extends string | number | boolean | null | undefined
    ? T
    : T extends (infer U)[]
      ? DeepInput<U>[]
      : { [K in keyof T]: DeepInput<T[K]> }
>;

/** Resource args: the provider's inputs, where any field at any depth may be a Pulumi input. */
export type Args<T> = { [K in keyof T]: DeepInput<T[K]> };

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
