import type { RecordedResource, StackEvaluation } from "../engine/types";
import { isDynamicType } from "./dynamic-replacements";
import { diffProperties, type PropertyChange, type SecretSide } from "./property-diff";
import { registryReplacements } from "./replace-inputs";

/** A resource as the diff reports it. */
export interface DiffResource {
  urn: string;
  type: string;
  name: string;
  /** Protected (`protect: true`) on the side it is reported from: the old one for a removal. */
  protect: boolean;
}

/** A resource present on both sides whose inputs differ. */
export interface ChangedResource extends DiffResource {
  changes: PropertyChange[];
  /** For a replacement: the inputs that force it, per the provider's own rules. */
  replaceInputs?: string[];
  /** Why replacement could not be judged (a dynamic provider's diff failed); reported as a change. */
  replaceUnknown?: string;
}

/** What a change does to one stack. Every list is sorted by URN. */
export interface StackDiff {
  stack: string;
  added: DiffResource[];
  removed: DiffResource[];
  replaced: ChangedResource[];
  changed: ChangedResource[];
  /** Stack outputs that differ (secrets as `[secret]`). */
  outputs: PropertyChange[];
  /** Secret inputs now sent in clear: each a finding, whatever else changed. */
  secretsMadePlain: Array<{ urn: string; path: string }>;
}

/** A dynamic provider's own diff: the inputs it replaces on, or why it could not say. */
export type DynamicDiff = (
  type: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) => Promise<{ replaces: string[] } | { error: string }>;

const byUrn = (a: { urn: string }, b: { urn: string }): number => a.urn.localeCompare(b.urn);

const entry = (r: RecordedResource): DiffResource => ({
  urn: r.urn,
  type: r.type,
  name: r.name,
  protect: r.protect,
});

const secretSide = (r: RecordedResource): SecretSide => ({
  paths: new Set(r.secretInputs),
  digests: r.secretDigests ?? {},
});

/** `a.b[0].c` → `a`: the input a provider's replace rules speak of. */
const topLevel = (path: string): string => /^[^.[]+/.exec(path)?.[0] ?? path;

/**
 * Compares one stack's two evaluations by URN: resources added, removed, replaced (a changed input
 * that forces replacement: registry providers' schema rules, the project's dynamic providers' own
 * diff) or changed in place, with property-level changes; and the stack outputs.
 */
export async function diffStack(
  before: StackEvaluation,
  after: StackEvaluation,
  dynamicDiff: DynamicDiff,
): Promise<StackDiff> {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const diff: StackDiff = {
    stack: after.stack,
    added: after.resources
      .filter((r) => !old.has(r.urn))
      .map(entry)
      .sort(byUrn),
    removed: before.resources
      .filter((r) => !now.has(r.urn))
      .map(entry)
      .sort(byUrn),
    replaced: [],
    changed: [],
    outputs: diffProperties(before.outputs, after.outputs),
    secretsMadePlain: [],
  };
  for (const next of after.resources) {
    const previous = old.get(next.urn);
    if (!previous) continue;
    const changes = diffProperties(previous.inputs, next.inputs, {
      before: secretSide(previous),
      after: secretSide(next),
    });
    for (const change of changes) {
      if (change.secret === "became-plain") diff.secretsMadePlain.push({ urn: next.urn, path: change.path });
    }
    if (changes.length === 0) continue;
    const resource: ChangedResource = { ...entry(next), protect: previous.protect || next.protect, changes };
    if (!next.custom || next.type.startsWith("pulumi:providers:")) {
      diff.changed.push(resource);
    } else if (isDynamicType(next.type)) {
      const verdict = await dynamicDiff(next.type, previous.inputs, next.inputs);
      if ("error" in verdict) diff.changed.push({ ...resource, replaceUnknown: verdict.error });
      else if (verdict.replaces.length > 0)
        diff.replaced.push({ ...resource, replaceInputs: verdict.replaces });
      else diff.changed.push(resource);
    } else {
      const forcing = registryReplacements(next.type, new Set(changes.map((c) => topLevel(c.path))));
      if (forcing.length > 0) diff.replaced.push({ ...resource, replaceInputs: forcing });
      else diff.changed.push(resource);
    }
  }
  diff.replaced.sort(byUrn);
  diff.changed.sort(byUrn);
  diff.secretsMadePlain.sort((a, b) => byUrn(a, b) || a.path.localeCompare(b.path));
  return diff;
}

/** True when a stack's diff reports nothing. */
export function isEmptyDiff(diff: StackDiff): boolean {
  return (
    diff.added.length +
      diff.removed.length +
      diff.replaced.length +
      diff.changed.length +
      diff.outputs.length ===
    0
  );
}
