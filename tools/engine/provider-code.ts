import { STAND_IN_MARKER } from "./stand-in-marker";

// How a dynamic resource's provider code is recorded. Kept apart from the engine so the CLI's
// main thread can read recordings without loading the SDK.

/** What stands in for a dynamic provider's code offline, unless providers are serialized. */
export const NOT_SERIALIZED = "[dynamic provider: not serialized offline]";

const SERIALIZED = /^\[serialized provider, \d+ characters\]$/;

/**
 * A dynamic provider's code is not an input a reader reviews: its size stands in for it, or what
 * is wrong with it.
 */
export function describeProviderCode(value: unknown): string {
  if (typeof value !== "string") return "[serialized provider holding a Pulumi secret]";
  if (value === NOT_SERIALIZED) return value;
  // A stand-in secret inside provider code means the closure captured a secret value.
  if (value.includes(STAND_IN_MARKER)) return "[serialized provider capturing a secret value]";
  return `[serialized provider, ${value.length} characters]`;
}

/** Whether a recorded description is of provider code that serialized and captured no secret. */
export function isCleanlySerialized(description: unknown): boolean {
  return typeof description === "string" && SERIALIZED.test(description);
}
