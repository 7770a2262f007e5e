import { describe, expect, it } from "vitest";
import { flyAppProvider, flyMachineProvider, flySecretsProvider } from "../../../infra/providers/fly";
import { DEPLOY_WAIT_SECONDS } from "../../../infra/providers/fly/machine-deploy";
import { APP, IMAGE_V1, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("FlyMachine provider", () => {
  const fake = useFakeFly();

  async function withApp(): Promise<number> {
    await flyAppProvider.create({ name: APP, org: ORG });
    const secrets = await flySecretsProvider.create({ app: APP, values: { DATABASE_URL: "postgres://x" } });
    return secrets.outs!.version;
  }

  it("creates a started, healthy machine with the seed's settings and flyctl metadata", async () => {
    const version = await withApp();
    const inputs = machineInputs({ minSecretsVersion: version });
    expect((await flyMachineProvider.check!({} as never, inputs)).failures).toEqual([]);
    const created = await flyMachineProvider.create(inputs);

    const live = fake().store.apps.get(APP)!.machines.get(created.id)!;
    expect(live.state).toBe("started");
    expect(live.region).toBe("cdg");
    expect(live.config).toMatchObject({
      image: IMAGE_V1,
      guest: { cpu_kind: "shared", cpus: 1, memory_mb: 512 },
      env: { NODE_ENV: "production", PORT: "3000" },
      restart: { policy: "on-failure", max_retries: 5 },
      metadata: { fly_platform_version: "v2", fly_process_group: "app", launchpad_name: "web-1" },
      services: [
        {
          protocol: "tcp",
          internal_port: 3000,
          ports: [
            { port: 80, handlers: ["http"], force_https: true },
            { port: 443, handlers: ["tls", "http"] },
          ],
          checks: [{ type: "http", port: 3000, path: "/health" }],
        },
      ],
      checks: { health: { type: "http", port: 3000, path: "/health" } },
    });
    expect(created.outs).toMatchObject({ machineId: created.id, state: "started", version: live.version });
  });

  it("reads back what it created without reporting a change, and detects drift", async () => {
    await withApp();
    const inputs = machineInputs();
    const created = await flyMachineProvider.create(inputs);
    const read = await flyMachineProvider.read!(created.id, created.outs);
    expect(await flyMachineProvider.diff!(created.id, read.props!, inputs)).toMatchObject({ changes: false });

    // Someone edits the machine outside Pulumi.
    fake().store.apps.get(APP)!.machines.get(created.id)!.config.env = { NODE_ENV: "development" };
    const drifted = await flyMachineProvider.read!(created.id, created.outs);
    expect(drifted.props?.env).toEqual({ NODE_ENV: "development" });
    expect(await flyMachineProvider.diff!(created.id, drifted.props!, inputs)).toMatchObject({
      changes: true,
    });
  });

  it("starts the image with the command it is given, and a refresh sees no drift", async () => {
    await withApp();
    const cmd = ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD" --dir /data'];
    const inputs = machineInputs({ init: { cmd } });
    expect((await flyMachineProvider.check!({} as never, inputs)).failures).toEqual([]);
    const created = await flyMachineProvider.create(inputs);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.config.init).toEqual({ cmd });
    const read = await flyMachineProvider.read!(created.id, created.outs);
    expect(read.props?.init).toEqual({ cmd });
    expect(await flyMachineProvider.diff!(created.id, read.props!, inputs)).toMatchObject({ changes: false });
    const bare = machineInputs();
    expect(await flyMachineProvider.diff!(created.id, read.props!, bare)).toMatchObject({ changes: true });
  });

  it("updates under a lease, gets a new version, and releases the lease", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    const news = machineInputs({ env: { ...machineInputs().env, LOG_LEVEL: "debug" } });
    const diff = await flyMachineProvider.diff!(created.id, created.outs!, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });

    const from = fake().requests.length;
    const updated = await flyMachineProvider.update!(created.id, created.outs!, news);
    const live = fake().store.apps.get(APP)!.machines.get(created.id)!;
    expect(live.config.env).toMatchObject({ LOG_LEVEL: "debug" });
    expect(updated.outs?.version).toBe(live.version);
    expect(updated.outs?.version).not.toBe(created.outs?.version);
    expect(live.lease).toBeUndefined();

    const calls = fake().requests.slice(from);
    const update = calls.find((r) => r.operationId === "Machines_update")!;
    expect(update.body).toMatchObject({ current_version: created.outs?.version });
    expect(calls[0].operationId).toBe("Machines_create_lease");
    expect(calls.at(-1)?.operationId).toBe("Machines_release_lease");
    expect(calls.filter((r) => r.operationId === "Machines_release_lease")).toHaveLength(1);
  });

  it("rolls back to the previous image when the new one never passes /health, and reports it", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    fake().faults.unhealthyImages.add(IMAGE_V2);

    const error = await flyMachineProvider.update!(
      created.id,
      created.outs!,
      machineInputs({ image: IMAGE_V2 }),
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/machine web-1 \(\w+\) of app mapquiz-api-dev/);
    expect(error?.message).toContain(`image ${IMAGE_V2} did not pass its health checks within 1s`);
    expect(error?.message).toContain("health: critical");
    expect(error?.message).toContain(`rolled back to the previous image ${IMAGE_V1}`);

    const live = fake().store.apps.get(APP)!.machines.get(created.id)!;
    expect(live.config.image).toBe(IMAGE_V1);
    expect(live.state).toBe("started");
    expect(live.lease).toBeUndefined();
    const updates = fake().requests.filter((r) => r.operationId === "Machines_update");
    expect(updates.map((r) => (r.body as { config: { image: string } }).config.image)).toEqual([
      IMAGE_V2,
      IMAGE_V1,
    ]);
  });

  it("waits past the checks' grace period for an app slow to boot, as flyctl's wait timeout does", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    // /health answers 8 API seconds after the start: well past the 1 s grace, inside a 20 s wait.
    fake().faults.slowImages.set(IMAGE_V2, 8);
    const slow = machineInputs({ image: IMAGE_V2, healthGraceSeconds: 1, healthWaitSeconds: 20 });
    const updated = await flyMachineProvider.update!(created.id, created.outs!, slow);
    expect(updated.outs).toMatchObject({ image: IMAGE_V2, state: "started" });
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.config.image).toBe(IMAGE_V2);
    const updates = fake().requests.filter((r) => r.operationId === "Machines_update");
    expect(updates).toHaveLength(1);
  });

  it("rolls back a slow app once the wait timeout, not the grace, is over", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    fake().faults.slowImages.set(IMAGE_V2, 30);
    const slow = machineInputs({ image: IMAGE_V2, healthGraceSeconds: 1, healthWaitSeconds: 5 });
    await expect(flyMachineProvider.update!(created.id, created.outs!, slow)).rejects.toThrow(
      /did not pass its health checks within 5s .*rolled back/,
    );
  });

  it("waits flyctl's default wait timeout (5 minutes) when none is given", async () => {
    expect(DEPLOY_WAIT_SECONDS).toBe(300);
    const { healthWaitSeconds: _unset, ...inputs } = machineInputs();
    expect((await flyMachineProvider.check!(inputs, inputs)).failures).toEqual([]);
    const bad = await flyMachineProvider.check!(inputs, {
      ...inputs,
      healthGraceSeconds: 30,
      healthWaitSeconds: 10,
    });
    expect(bad.failures?.map((f) => f.property)).toEqual(["healthWaitSeconds"]);
  });

  it("destroys a new machine that never becomes healthy, so nothing is left half-created", async () => {
    await withApp();
    fake().faults.healthNeverPasses = true;
    await expect(flyMachineProvider.create(machineInputs())).rejects.toThrow(
      /health checks did not pass within 1s .*the machine was destroyed/,
    );
    const machines = [...fake().store.apps.get(APP)!.machines.values()];
    expect(machines.every((m) => m.state === "destroying" || m.state === "destroyed")).toBe(true);
  });

  it("runs the release command in a throwaway machine before changing the image", async () => {
    await withApp();
    const inputs = machineInputs({ releaseCommand: "npx prisma migrate deploy" });
    const created = await flyMachineProvider.create(inputs);
    await flyMachineProvider.update!(created.id, created.outs!, { ...inputs, image: IMAGE_V2 });

    const creates = fake().requests.filter((r) => r.operationId === "Machines_create");
    const releases = creates.filter(
      (r) => (r.body as { config: { auto_destroy?: boolean } }).config.auto_destroy,
    );
    expect(releases).toHaveLength(2);
    expect(releases[1].body).toMatchObject({
      region: "cdg",
      config: {
        image: IMAGE_V2,
        init: { cmd: ["npx", "prisma", "migrate", "deploy"] },
        restart: { policy: "no" },
        dns: { skip_registration: true },
        metadata: { fly_process_group: "fly_app_release_command" },
      },
    });
    // Serving machines stay registered in the app's internal DNS.
    const serving = creates.filter(
      (r) => !(r.body as { config: { auto_destroy?: boolean } }).config.auto_destroy,
    );
    for (const r of serving) expect((r.body as { config: { dns?: unknown } }).config.dns).toBeUndefined();
    const order = fake().requests.map((r) => r.operationId);
    expect(order.lastIndexOf("Machines_create")).toBeLessThan(order.indexOf("Machines_update"));
    const app = fake().store.apps.get(APP)!;
    expect([...app.machines.values()].filter((m) => m.state !== "destroyed")).toHaveLength(1);
  });

  it("stops the deploy when the release command exits non-zero", async () => {
    await withApp();
    const inputs = machineInputs({ releaseCommand: "npx prisma migrate deploy" });
    const created = await flyMachineProvider.create(inputs);
    fake().faults.releaseExitCode = 1;
    await expect(
      flyMachineProvider.update!(created.id, created.outs!, { ...inputs, image: IMAGE_V2 }),
    ).rejects.toThrow(/`npx prisma migrate deploy` exited with code 1 .*the deploy was stopped/);
    expect(fake().requests.some((r) => r.operationId === "Machines_update")).toBe(false);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.config.image).toBe(IMAGE_V1);
  });

  it("refuses to update while someone else holds the lease (409)", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    const m = fake().store.apps.get(APP)!.machines.get(created.id)!;
    m.lease = {
      nonce: "other",
      expiresAt: fake().store.now + 600,
      owner: "ci@example.com",
      description: "deploy",
    };
    await expect(
      flyMachineProvider.update!(created.id, created.outs!, machineInputs({ image: IMAGE_V2 })),
    ).rejects.toThrow(/HTTP 409: machine ID \w+ lease currently held by ci@example.com/);
  });

  it("replaces on region or volume change and deletes idempotently", async () => {
    await withApp();
    const created = await flyMachineProvider.create(machineInputs());
    expect(
      await flyMachineProvider.diff!(created.id, created.outs!, machineInputs({ region: "ams" })),
    ).toMatchObject({
      replaces: ["region"],
    });
    await flyMachineProvider.delete!(created.id, created.outs!);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.state).toBe("destroyed");
    expect(await flyMachineProvider.read!(created.id, created.outs)).toEqual({});
    await expect(flyMachineProvider.delete!(created.id, created.outs!)).resolves.toBeUndefined();
  });
});
