import { describe, expect, it } from "vitest";
import {
  flyAppProvider,
  flyMachineProvider,
  flySecretsProvider,
  flyVolumeProvider,
} from "../../../infra/providers/fly";
import { APP, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("Fly providers under faults", () => {
  const fake = useFakeFly();

  it("converge through injected 429s and 5xx without creating anything twice", async () => {
    const f = fake().faults.failures;
    f.push({ method: "POST", path: "/v1/apps", status: 502, afterApply: true }); // lost response, retried by key
    f.push({ method: "POST", path: "/v1/apps", status: 429, retryAfter: "0" });
    f.push({ method: "POST", path: `/v1/apps/${APP}/secrets`, status: 503, afterApply: true });
    f.push({ method: "POST", path: `/v1/apps/${APP}/machines`, status: 429, times: 2 });
    f.push({ method: "GET", path: /\/machines\/\w+$/, status: 502, times: 3 });
    f.push({ method: "GET", path: /\/wait$/, status: 503 });

    await flyAppProvider.create({ name: APP, org: ORG });
    const secrets = await flySecretsProvider.create({ app: APP, values: { A: "1" } });
    await flyMachineProvider.create(
      machineInputs({ name: "web-1", minSecretsVersion: secrets.outs!.version }),
    );
    await flyMachineProvider.create(
      machineInputs({ name: "web-2", minSecretsVersion: secrets.outs!.version }),
    );

    expect(f).toEqual([]);
    expect(fake().store.apps.size).toBe(1);
    const machines = [...fake().store.apps.get(APP)!.machines.values()];
    expect(machines.map((m) => [m.name, m.state])).toEqual([
      ["web-1", "started"],
      ["web-2", "started"],
    ]);
    expect(fake().requests.filter((r) => r.status === 201 && r.operationId === "Apps_create")).toHaveLength(
      1,
    );
  });

  it("a crash after the app was created: the re-run adopts it", async () => {
    // Every attempt of the first run is applied but never answered (the process then dies).
    fake().faults.failures.push({
      method: "POST",
      path: "/v1/apps",
      status: "drop",
      afterApply: true,
      times: 5,
    });
    await expect(flyAppProvider.create({ name: APP, org: ORG })).rejects.toThrow(
      /app mapquiz-api-dev failed/,
    );
    expect(fake().store.apps.size).toBe(1);

    const rerun = await flyAppProvider.create({ name: APP, org: ORG });
    expect(rerun.outs?.appId).toBe(fake().store.apps.get(APP)?.id);
    expect(fake().store.apps.size).toBe(1);
  });

  it("a crash after a machine was created: the re-run adopts it instead of starting a second one", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    fake().faults.failures.push({
      method: "POST",
      path: `/v1/apps/${APP}/machines`,
      status: "drop",
      afterApply: true,
    });
    await expect(flyMachineProvider.create(machineInputs())).rejects.toThrow(
      /machine web-1 of app mapquiz-api-dev/,
    );
    expect(fake().requests.filter((r) => r.operationId === "Machines_create")).toHaveLength(1);

    const rerun = await flyMachineProvider.create(machineInputs({ image: IMAGE_V2 }));
    const machines = [...fake().store.apps.get(APP)!.machines.values()];
    expect(machines).toHaveLength(1);
    expect(rerun.id).toBe(machines[0].id);
    expect(machines[0]).toMatchObject({ state: "started", config: { image: IMAGE_V2 } });
  });

  it("a crash after a volume was created: the re-run adopts it", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    fake().faults.failures.push({
      method: "POST",
      path: `/v1/apps/${APP}/volumes`,
      status: "drop",
      afterApply: true,
    });
    const inputs = { app: APP, name: "redis_data", region: "cdg", sizeGb: 1 };
    await expect(flyVolumeProvider.create(inputs)).rejects.toThrow();
    const rerun = await flyVolumeProvider.create(inputs);
    expect([...fake().store.apps.get(APP)!.volumes.keys()]).toEqual([rerun.id]);
  });

  it("a crash in the middle of an update leaves a lease that only delays the re-run until it expires", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const created = await flyMachineProvider.create(machineInputs());
    const m = fake().store.apps.get(APP)!.machines.get(created.id)!;
    m.lease = {
      nonce: "crashed-run",
      expiresAt: fake().store.now + 300,
      owner: "launchpad",
      description: "deploy",
    };
    const news = machineInputs({ image: IMAGE_V2 });
    await expect(flyMachineProvider.update!(created.id, created.outs!, news)).rejects.toThrow(/HTTP 409/);

    fake().store.advance(300);
    await flyMachineProvider.update!(created.id, created.outs!, news);
    expect(m.config.image).toBe(IMAGE_V2);
  });
});
