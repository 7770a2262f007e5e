import { describe, expect, it } from "vitest";
import { loadSpec, SchemaValidator, specOperations } from "../../fakes/fly-api";
import { useFakeFly } from "./harness";

describe("the fake Fly API is faithful to the spec", () => {
  const fake = useFakeFly();

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(fake().url + path, {
      method,
      headers: { Authorization: `Bearer ${fake().token}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  it("routes by the spec's operations and validates bodies against its schemas", async () => {
    const ops = specOperations();
    expect(ops.find((o) => o.operationId === "Machines_create")?.template).toBe(
      "/v1/apps/{app_name}/machines",
    );
    const validator = new SchemaValidator(loadSpec());
    const schema = { $ref: "#/components/schemas/CreateMachineRequest" };
    expect(validator.validate(schema, { region: "cdg", config: { image: "x", guest: { cpus: 1 } } })).toEqual(
      [],
    );
    expect(
      validator.validate(schema, { config: { image: 1, restart: { policy: "sometimes" } }, typo: true }),
    ).toEqual([
      "body.config.image: must be a string",
      "body.config.restart.policy: must be one of no, always, on-failure",
      "body.typo: is not a property of CreateMachineRequest",
    ]);

    expect(await call("POST", "/v1/apps", { name: "a-b-c", org_slug: "launchpad", color: "red" })).toEqual({
      status: 400,
      body: { error: "invalid request body: body.color: is not a property of CreateAppRequest" },
    });
  });

  it("answers the live API's status codes", async () => {
    expect((await call("GET", "/v1/apps/nope", undefined, { Authorization: "Bearer wrong" })).status).toBe(
      401,
    );
    expect((await call("POST", "/v1/apps", { name: "a-b-c", org_slug: "launchpad" })).status).toBe(201);
    expect(await call("POST", "/v1/apps", { app_name: "a-b-c", org_slug: "launchpad" })).toEqual({
      status: 422,
      body: { error: "Name has already been taken", status: "name_taken" },
    });
    expect(await call("GET", "/v1/apps/nope/machines")).toEqual({
      status: 404,
      body: { error: "app not found" },
    });
    expect(await call("POST", "/v1/apps/nope/secrets", { values: { A: "1" } })).toEqual({
      status: 404,
      body: { error: "app not found" },
    });
    expect((await call("DELETE", "/v1/apps/a-b-c")).status).toBe(202);
  });

  it("honours idempotency keys on app create", async () => {
    const first = await call("POST", "/v1/apps", {
      name: "a-b-c",
      org_slug: "launchpad",
      idempotency_key: "k1",
    });
    const again = await call("POST", "/v1/apps", {
      name: "a-b-c",
      org_slug: "launchpad",
      idempotency_key: "k1",
    });
    expect(again).toEqual(first);
    expect(
      (await call("POST", "/v1/apps", { name: "x-y-z", org_slug: "launchpad", idempotency_key: "k1" }))
        .status,
    ).toBe(422);
  });

  it("moves machines through asynchronous states on its own clock", async () => {
    await call("POST", "/v1/apps", { name: "a-b-c", org_slug: "launchpad" });
    const created = await call("POST", "/v1/apps/a-b-c/machines", {
      region: "cdg",
      config: { image: "nginx" },
    });
    expect(created.body).toMatchObject({ state: "created" });
    const id = String(created.body?.id);
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await call("GET", `/v1/apps/a-b-c/machines/${id}`)).body?.state);
    expect(states).toEqual(["starting", "started", "started"]);

    const updated = await call("POST", `/v1/apps/a-b-c/machines/${id}`, { config: { image: "nginx:2" } });
    expect(updated.body?.instance_id).not.toBe(created.body?.instance_id);
    expect(updated.body?.state).toBe("replacing");

    expect(await call("GET", `/v1/apps/a-b-c/machines/${id}/wait?state=stopped&timeout=2`)).toMatchObject({
      status: 408,
    });
    expect((await call("DELETE", `/v1/apps/a-b-c/machines/${id}`)).status).toBe(412);
    expect((await call("DELETE", `/v1/apps/a-b-c/machines/${id}?force=true`)).status).toBe(200);
    expect((await call("GET", `/v1/apps/a-b-c/machines/${id}`)).body?.state).toBe("destroyed");
  });

  it("holds leases (409 for others) and attached volumes (409 on delete)", async () => {
    await call("POST", "/v1/apps", { name: "a-b-c", org_slug: "launchpad" });
    const vol = await call("POST", "/v1/apps/a-b-c/volumes", {
      name: "data",
      region: "cdg",
      size_gb: 1,
      encrypted: true,
    });
    const m = await call("POST", "/v1/apps/a-b-c/machines", {
      region: "cdg",
      config: { image: "redis", mounts: [{ volume: vol.body?.id, path: "/data" }] },
    });
    const lease = await call("POST", `/v1/apps/a-b-c/machines/${m.body?.id}/lease`, { ttl: 60 });
    expect(lease).toMatchObject({
      status: 201,
      body: { status: "success", data: { nonce: expect.any(String) } },
    });
    expect((await call("POST", `/v1/apps/a-b-c/machines/${m.body?.id}/lease`, { ttl: 60 })).status).toBe(409);
    expect(
      (await call("POST", `/v1/apps/a-b-c/machines/${m.body?.id}`, { config: { image: "redis:8" } })).status,
    ).toBe(409);
    expect((await call("DELETE", `/v1/apps/a-b-c/volumes/${vol.body?.id}`)).status).toBe(409);
  });

  it("bumps the secrets version and never shows values unless asked", async () => {
    await call("POST", "/v1/apps", { name: "a-b-c", org_slug: "launchpad" });
    const set = await call("POST", "/v1/apps/a-b-c/secrets", { values: { A: "one", B: "two" } });
    expect(set.body).toMatchObject({ version: 1 });
    const unset = await call("POST", "/v1/apps/a-b-c/secrets", { values: { B: null } });
    expect(unset.body).toMatchObject({ version: 2 });
    const list = await call("GET", "/v1/apps/a-b-c/secrets");
    expect(list.body).toEqual({ secrets: [expect.not.objectContaining({ value: expect.anything() })] });
    expect(JSON.stringify(list.body)).not.toContain("one");
  });
});
