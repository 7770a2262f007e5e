/**
 * What every Supabase settings provider does alike: an id under the project ref; create and update
 * that converge the project on the inputs; a read that refreshes the state from the live settings;
 * a delete that leaves the project as it is; a diff where a new project ref replaces. Each provider
 * brings its own check, its own diff (built on `settingsDiff`) and its own type token.
 */

import type * as pulumi from "@pulumi/pulumi";
import { changedKeys, leftAsIs } from "./provider-kit";

type Provider<In, Out> = pulumi.dynamic.ResourceProvider<In, Out>;

export interface SettingsBehaviour<In extends { projectRef: string }, Out extends In> {
  /** Names the settings in the log line of a delete, e.g. `Auth config`. */
  readonly what: string;
  /** Last part of the resource id: `<projectRef>/<idSuffix>`. */
  readonly idSuffix: string;
  readonly check: NonNullable<Provider<In, Out>["check"]>;
  readonly diff: NonNullable<Provider<In, Out>["diff"]>;
  /** Brings the project to the inputs (reading first, writing only what differs); the outputs. */
  converge(inputs: In): Promise<Out>;
  /** The outputs in state, with what the live project reports. */
  refresh(old: Out): Promise<Out>;
}

export function settingsProvider<In extends { projectRef: string }, Out extends In>(
  behaviour: SettingsBehaviour<In, Out>,
): Provider<In, Out> {
  return {
    check: behaviour.check,
    diff: behaviour.diff,
    async create(inputs) {
      return { id: `${inputs.projectRef}/${behaviour.idSuffix}`, outs: await behaviour.converge(inputs) };
    },
    async read(id, props) {
      return { id, props: await behaviour.refresh(props as Out) };
    },
    async update(_id, _olds, news) {
      return { outs: await behaviour.converge(news) };
    },
    async delete(_id, props) {
      leftAsIs(behaviour.what, props.projectRef);
    },
  };
}

/**
 * A settings diff: a new project ref replaces the resource, a change of a managed key updates it,
 * and so does `pending` (something the API had not finished applying).
 */
export function settingsDiff<T extends { projectRef: string }>(
  olds: Partial<T>,
  news: Partial<T>,
  managed: (keyof T)[],
  pending = false,
): pulumi.dynamic.DiffResult {
  const replaces = changedKeys<T>(olds, news, ["projectRef"]);
  const changed = changedKeys<T>(olds, news, managed);
  return { changes: replaces.length + changed.length > 0 || pending, replaces, deleteBeforeReplace: false };
}

/** Reads the live settings and sends the patch `differences` makes of them, unless it is empty. */
export async function patchDifferences<Live, Patch extends object>(
  read: () => Promise<Live>,
  differences: (live: Live) => Patch,
  write: (patch: Patch) => Promise<unknown>,
): Promise<void> {
  const patch = differences(await read());
  if (Object.keys(patch).length > 0) await write(patch);
}
