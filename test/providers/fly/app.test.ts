import { describe, expect, it } from "vitest";
import { flyAppProvider } from "../../../infra/providers/fly";
import { APP } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("FlyApp provider", () => {
  const fake = useFakeFly();

  it("creates, reads, diffs and deletes an app", async () => {
    const inputs = { name: APP, org: ORG };
    const checked = await flyAppProvider.check!({} as never, inputs);
    expect(checked.failures).toEqual([]);

    const created = await flyAppProvider.create(inputs);
    expect(created.id).toBe(APP);
    expect(fake().requests.map((r) => [r.method, r.path, r.status])).toEqual([["POST", "/v1/apps", 201]]);

    const read = await flyAppProvider.read!(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect(await flyAppProvider.diff!(created.id, created.outs!, inputs)).toMatchObject({ changes: false });
    expect(
      await flyAppProvider.diff!(created.id, created.outs!, { ...inputs, org: "someone-else" }),
    ).toMatchObject({
      changes: true,
      replaces: ["org"],
      deleteBeforeReplace: true,
    });

    await flyAppProvider.delete!(created.id, created.outs!);
    expect(fake().requests.at(-1)).toMatchObject({ method: "DELETE", status: 202 });
    expect(await flyAppProvider.read!(created.id, created.outs)).toEqual({});
    // Deleting again is a no-op: 404 counts as done.
    await expect(flyAppProvider.delete!(created.id, created.outs!)).resolves.toBeUndefined();
  });

  it("rejects invalid names in check", async () => {
    const checked = await flyAppProvider.check!({} as never, { name: "Bad_Name", org: "" });
    expect(checked.failures?.map((f) => f.property)).toEqual(["name", "org"]);
  });

  it("adopts an app of the same name in its own org (a re-run after a crash)", async () => {
    fake().store.addApp(APP, ORG);
    const created = await flyAppProvider.create({ name: APP, org: ORG });
    expect(created.outs?.appId).toBe(fake().store.apps.get(APP)?.id);
    expect(fake().store.apps.size).toBe(1);
  });

  it("refuses a name taken in another org, naming the app and carrying Fly's status", async () => {
    fake().store.addApp(APP, "someone-else");
    await expect(flyAppProvider.create({ name: APP, org: ORG })).rejects.toThrow(
      /app mapquiz-api-dev failed with HTTP 422: the name is taken by an app outside organization launchpad/,
    );
  });
});
