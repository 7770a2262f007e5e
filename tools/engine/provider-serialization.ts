import { NOT_SERIALIZED } from "./provider-code";

/**
 * Dynamic providers (Fly, Postgres) are shipped to the engine as serialized closures. Serializing
 * them is the slowest part of a run (seconds per provider) and the offline engine never executes
 * them, so by default a marker stands in; `serializeProviders` runs the real serializer, as
 * `pulumi up` does, to prove each provider serializes and captures no secret.
 */
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction: (...args: unknown[]) => Promise<{ text: string; containsSecrets: boolean }>;
};
const realSerializeFunction = closure.serializeFunction;
let serialize = false;
closure.serializeFunction = (...args) =>
  serialize
    ? realSerializeFunction(...args)
    : Promise.resolve({ text: NOT_SERIALIZED, containsSecrets: false });

/**
 * Chooses, for this thread, whether dynamic providers are really serialized. Pulumi caches each
 * provider's serialization for the life of the thread, so one thread keeps to one mode.
 */
export function serializeDynamicProviders(enabled: boolean): void {
  serialize = enabled;
}
