import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { STAND_IN_MARKER } from "./stand-in-marker";

const {
  specialSigKey,
  specialSecretSig,
  specialResourceSig,
  specialAssetSig,
  specialArchiveSig,
  specialOutputValueSig,
  unknownValue,
} = pulumi.runtime;

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * A digest of a secret's stand-in, so two evaluations can tell whether it changed. Only stand-ins
 * (placeholders derived from the secret's name, never a value) get one: a real secret value is
 * never hashed, since a digest of a short secret can be guessed.
 */
export function standInDigest(secret: unknown): string | undefined {
  const text = typeof secret === "string" ? secret : JSON.stringify(secret);
  if (text === undefined || !text.includes(STAND_IN_MARKER)) return undefined;
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * Turns a serialized property value (as the engine receives it) into plain data: secrets become
 * `[secret]` and their paths are collected (with a digest of each stand-in, when `digests` is
 * given), resource references become URNs, unknowns `[unknown]`.
 */
export function plainValue(
  value: unknown,
  path: string,
  secretPaths: string[],
  digests?: Record<string, string>,
): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) {
    return value.map((item, i) => plainValue(item, childPath(path, i), secretPaths, digests));
  }
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const secret = (): string => {
    secretPaths.push(path);
    const digest = digests && "value" in record ? standInDigest(record["value"]) : undefined;
    if (digests && digest !== undefined) digests[path] = digest;
    return "[secret]";
  };
  switch (record[specialSigKey]) {
    case specialSecretSig:
      return secret();
    case specialResourceSig:
      return record["urn"];
    case specialAssetSig:
    case specialArchiveSig:
      return "[asset]";
    case specialOutputValueSig:
      if (record["secret"] === true) return secret();
      return "value" in record ? plainValue(record["value"], path, secretPaths, digests) : "[unknown]";
    default:
      return Object.fromEntries(
        Object.entries(record).map(([key, item]) => [
          key,
          plainValue(item, childPath(path, key), secretPaths, digests),
        ]),
      );
  }
}

/**
 * Replaces every secret Output by the mask. Serializing outside the program's run no longer knows the
 * monitor supports secrets, and would hand out their plain values.
 */
async function maskSecretOutputs(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) return (await pulumi.isSecret(value)) ? "[secret]" : value;
  if (Array.isArray(value)) return Promise.all(value.map(maskSecretOutputs));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await maskSecretOutputs(item)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Plain-data view of a stack's outputs, which arrive as live values with secrets still wrapped. */
export async function plainOutputs(
  outputs: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  const masked = await maskSecretOutputs(outputs ?? {});
  const serialized = await pulumi.runtime.serializeProperties("outputs", masked as Record<string, unknown>);
  return plainValue(serialized, "", []) as Record<string, unknown>;
}
