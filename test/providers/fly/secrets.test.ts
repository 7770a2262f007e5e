import { describe, expect, it } from "vitest";
import { flyAppProvider, flySecretsProvider } from "../../../infra/providers/fly";
import { APP } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

const BETTER_AUTH_SECRET = "b".repeat(64);

describe("FlySecrets provider", () => {
  const fake = useFakeFly();

  it("sets all secrets in one call, reads names and digests only, and tracks the version", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const values = { DATABASE_URL: "postgres://u:p@db/mapquiz?sslmode=require", BETTER_AUTH_SECRET };
    const created = await flySecretsProvider.create({ app: APP, values });
    expect(created.outs).toMatchObject({
      app: APP,
      names: ["BETTER_AUTH_SECRET", "DATABASE_URL"],
      version: 1,
    });
    expect(
      fake()
        .mutations()
        .filter((r) => r.operationId === "Secrets_update"),
    ).toHaveLength(1);

    const read = await flySecretsProvider.read!(created.id, created.outs);
    const serialized = JSON.stringify([created, read]);
    expect(serialized).not.toContain(BETTER_AUTH_SECRET);
    expect(serialized).not.toContain("u:p@db");
    expect(
      fake()
        .requests.filter((r) => r.operationId === "Secrets_list")
        .every((r) => !r.query.show_secrets),
    ).toBe(true);
    expect(await flySecretsProvider.diff!(created.id, read.props!, { app: APP, values })).toEqual({
      changes: false,
    });
  });

  it("updates only what changed, unsets removed names and bumps the version", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const created = await flySecretsProvider.create({ app: APP, values: { A: "1", B: "2" } });
    const news = { app: APP, values: { A: "1", C: "3" } };
    expect(await flySecretsProvider.diff!(created.id, created.outs!, news)).toEqual({ changes: true });

    const updated = await flySecretsProvider.update!(created.id, created.outs!, news);
    expect(fake().requests.at(-1)?.body).toEqual({ values: { C: "3", B: null } });
    expect(updated.outs).toMatchObject({ names: ["A", "C"], version: 2 });
    expect([...fake().store.apps.get(APP)!.secrets.keys()].sort()).toEqual(["A", "C"]);

    const from = fake().requests.length;
    const again = await flySecretsProvider.update!(created.id, updated.outs!, news);
    expect(fake().requests.length).toBe(from);
    expect(again.outs?.version).toBe(2);
  });

  it("notices a secret changed outside Pulumi and sets it back", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const inputs = { app: APP, values: { JWT_SECRET: "j".repeat(48) } };
    const created = await flySecretsProvider.create(inputs);
    const app = fake().store.apps.get(APP)!;
    app.secrets.set("JWT_SECRET", { ...app.secrets.get("JWT_SECRET")!, value: "changed", digest: "0000" });

    const read = await flySecretsProvider.read!(created.id, created.outs);
    expect(read.props?.digests.JWT_SECRET).toBe("drifted");
    expect(await flySecretsProvider.diff!(created.id, read.props!, inputs)).toEqual({ changes: true });
    await flySecretsProvider.update!(created.id, read.props!, inputs);
    expect(app.secrets.get("JWT_SECRET")?.value).toBe("j".repeat(48));
  });

  it("keeps secrets it does not manage, and delete unsets only its own", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    fake()
      .store.apps.get(APP)!
      .secrets.set("MANUAL", { value: "x", digest: "d", created_at: "", updated_at: "" });
    const created = await flySecretsProvider.create({ app: APP, values: { A: "1" } });
    await flySecretsProvider.delete!(created.id, created.outs!);
    expect([...fake().store.apps.get(APP)!.secrets.keys()]).toEqual(["MANUAL"]);

    await flyAppProvider.delete!(APP, { name: APP, org: ORG, appId: "" });
    await expect(flySecretsProvider.delete!(created.id, created.outs!)).resolves.toBeUndefined();
    expect(await flySecretsProvider.read!(created.id, created.outs)).toEqual({});
  });

  it("rejects invalid secret names", async () => {
    const checked = await flySecretsProvider.check!({} as never, { app: APP, values: { "BAD-NAME": "x" } });
    expect(checked.failures).toEqual([
      { property: "values.BAD-NAME", reason: "letters, digits and underscores only" },
    ]);
  });
});
