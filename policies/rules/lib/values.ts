/**
 * Reading resource properties as CrossGuard hands them over: plain JSON behind a proxy that throws
 * when an unknown (preview-time) value is touched. These helpers only narrow types; they never
 * swallow that error, so a check on an unknown value is reported the way CrossGuard reports it.
 */

export type Props = Record<string, unknown>;

export function isRecord(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record(value: unknown): Props | undefined {
  return isRecord(value) ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? [...value] : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Numbers sometimes travel as strings (environment variables): `"100"` → 100. */
export function numeric(value: unknown): number | undefined {
  if (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return num(value);
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::…`. */
export function stackOfUrn(urn: string): string {
  const head = urn.split("::")[0] ?? "";
  return head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : head;
}

/** The root stack resource's URN, where stack-wide findings are reported. */
export function stackRootUrn(stack: string, project = "launchpad"): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** Rule settings: the defaults, overridden by what the policy pack config sets. */
export function settings<T extends object>(args: { getConfig<U extends object>(): U }, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() };
}

/**
 * The value `[secret]` stands for a secret the offline engine cannot show; under the Pulumi CLI
 * policies receive the plaintext instead. Either way it is not a URL or origin a rule can parse.
 */
export const MASKED_SECRET = "[secret]";

/**
 * A storage bucket's id: `bucketId` (Pulumi drops an input named `id`, so the StorageBucket class
 * registers it under that name), else `id`, else the resource's logical name.
 */
export function bucketName(props: Props, logicalName: string): string {
  return text(props["bucketId"]) ?? text(props["id"]) ?? logicalName;
}
