import { describe, expect, it } from "vitest";
import {
  patchDifferences,
  settingsDiff,
  settingsProvider,
} from "../../../infra/providers/supabase/settings-provider";
import {
  supabaseBackupsProvider,
  supabaseNetworkRestrictionsProvider,
  supabasePostgrestConfigProvider,
  supabaseSslEnforcementProvider,
} from "../../../infra/providers/supabase";
import { REF, up, useFakeManagement } from "./harness";

interface Flag {
  projectRef: string;
  on: boolean;
}

describe("settingsDiff", () => {
  const old: Flag = { projectRef: REF, on: true };

  it("replaces on a new project ref, updates on a managed key, and is quiet otherwise", () => {
    expect(settingsDiff<Flag>(old, { ...old, projectRef: "otherprojectrefabcde" }, ["on"])).toEqual({
      changes: true,
      replaces: ["projectRef"],
      deleteBeforeReplace: false,
    });
    expect(settingsDiff<Flag>(old, { ...old, on: false }, ["on"])).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(settingsDiff<Flag>(old, { ...old, on: false }, [])).toMatchObject({ changes: false });
    expect(settingsDiff<Flag>(old, { ...old }, ["on"])).toMatchObject({ changes: false });
  });

  it("updates when something is still pending, though nothing declared changed", () => {
    expect(settingsDiff<Flag>(old, { ...old }, ["on"], true)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("patchDifferences", () => {
  it("writes the patch made of the live value, and nothing when it is empty", async () => {
    const written: object[] = [];
    const write = async (patch: object) => void written.push(patch);
    await patchDifferences(
      async () => 3,
      (live) => (live === 3 ? {} : { value: 3 }),
      write,
    );
    await patchDifferences(
      async () => 2,
      (live) => (live === 3 ? {} : { value: 3 }),
      write,
    );
    expect(written).toEqual([{ value: 3 }]);
  });
});

describe("settingsProvider", () => {
  const fake = useFakeManagement();

  it("ids a resource under its project ref and converges on create and update alike", async () => {
    const seen: string[] = [];
    const provider = settingsProvider<Flag, Flag>({
      what: "Flag",
      idSuffix: "flag",
      check: async (_olds, news) => ({ inputs: news }),
      diff: async (_id, olds, news) => settingsDiff<Flag>(olds, news, ["on"]),
      converge: async (inputs) => (seen.push(`converge ${inputs.on}`), inputs),
      refresh: async (old) => (seen.push("refresh"), { ...old, on: !old.on }),
    });
    const created = await up(provider, { projectRef: REF, on: true });
    expect(created.id).toBe(`${REF}/flag`);
    // The refresh reports the flag flipped by hand: the diff sees it, the update converges again.
    await up(provider, { projectRef: REF, on: true }, created);
    expect(seen).toEqual(["converge true", "refresh", "converge true"]);
    expect(fake().api.requests).toEqual([]);
  });

  it("gives each settings provider its own id under the project ref", async () => {
    const ids = [
      (await up(supabaseSslEnforcementProvider, { projectRef: REF, enforced: true })).id,
      (
        await up(supabaseNetworkRestrictionsProvider, {
          projectRef: REF,
          allowedCidrs: ["0.0.0.0/0", "::/0"],
        })
      ).id,
      (await up(supabasePostgrestConfigProvider, { projectRef: REF, schemas: ["public"], maxRows: 1000 })).id,
      (await up(supabaseBackupsProvider, { projectRef: REF, pitrRequired: false })).id,
    ];
    expect(ids).toEqual([
      `${REF}/ssl-enforcement`,
      `${REF}/network-restrictions`,
      `${REF}/postgrest`,
      `${REF}/backups`,
    ]);
  });
});
