import { describe, expect, it } from "vitest";
import { flyAppProvider, flyMachineProvider, flyVolumeProvider } from "../../../infra/providers/fly";
import { fromMachineConfig, toMachineConfig } from "../../../infra/providers/fly/machine-config";
import { ORG, useFakeFly } from "./harness";
import { machineInputs } from "./mapquiz-inputs";

/** Inputs shaped like workspace-analytics' Ollama: a private a10 worker in ord with its models volume. */
const APP = "workspace-analytics-ollama-dev";
const IMAGE = "ollama/ollama:0.5.7";
const GPU_GUEST = { cpuKind: "performance" as const, cpus: 8, memoryMb: 32768, gpuKind: "a10", gpus: 1 };

function ollamaInputs(volume: string, overrides: Parameters<typeof machineInputs>[0] = {}) {
  return machineInputs({
    app: APP,
    name: "ollama-1",
    region: "ord",
    image: IMAGE,
    guest: GPU_GUEST,
    env: {},
    services: [],
    checks: { tcp: { type: "tcp", port: 11434, interval: "15s", timeout: "5s" } },
    mounts: [{ volume, path: "/root/.ollama" }],
    ...overrides,
  });
}

describe("FlyMachine and FlyVolume for a GPU guest", () => {
  const fake = useFakeFly();

  it("creates, reads back without drift, updates and deletes a GPU machine against the fake", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const volumeInputs = { app: APP, name: "ollama_data", region: "ord", sizeGb: 50, compute: GPU_GUEST };
    const volume = await flyVolumeProvider.create(volumeInputs);
    // Placed on a host with the GPU: the request carries the machine's guest as `compute`.
    const placed = fake().requests.find((r) => r.operationId === "Volumes_create" && r.status < 300);
    expect(placed?.body).toMatchObject({
      region: "ord",
      compute: { cpu_kind: "performance", gpu_kind: "a10" },
    });
    const l40s = { ...volumeInputs, compute: { ...GPU_GUEST, gpuKind: "l40s" } };
    expect(await flyVolumeProvider.diff!(volume.id, volume.outs!, l40s)).toMatchObject({
      replaces: ["compute"],
    });
    expect(await flyVolumeProvider.diff!(volume.id, volume.outs!, volumeInputs)).toMatchObject({
      changes: false,
    });
    const inputs = ollamaInputs(volume.id);
    expect((await flyMachineProvider.check!({} as never, inputs)).failures).toEqual([]);

    const created = await flyMachineProvider.create(inputs);
    const live = fake().store.apps.get(APP)!.machines.get(created.id)!;
    expect(live.state).toBe("started");
    expect(live.region).toBe("ord");
    expect(live.config["guest"]).toEqual({
      cpu_kind: "performance",
      cpus: 8,
      memory_mb: 32768,
      gpu_kind: "a10",
      gpus: 1,
    });
    // The fake checks every body against the spec (unknown properties are refused): the GPU fields are
    // fly.MachineGuest's own.
    const request = fake().requests.find((r) => r.operationId === "Machines_create" && r.status < 300);
    expect(request?.body).toMatchObject({ region: "ord", config: { guest: { gpu_kind: "a10", gpus: 1 } } });

    const read = await flyMachineProvider.read!(created.id, created.outs);
    expect(read.props?.guest).toEqual(GPU_GUEST);
    expect(await flyMachineProvider.diff!(created.id, read.props!, inputs)).toMatchObject({ changes: false });

    // A GPU swap outside Pulumi is drift; the update puts the declared GPU back.
    live.config["guest"] = { ...(live.config["guest"] as object), gpu_kind: "l40s" };
    const drifted = await flyMachineProvider.read!(created.id, created.outs);
    expect(drifted.props?.guest.gpuKind).toBe("l40s");
    expect(await flyMachineProvider.diff!(created.id, drifted.props!, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await flyMachineProvider.update!(created.id, drifted.props!, inputs);
    expect(updated.outs?.guest).toEqual(GPU_GUEST);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.config["guest"]).toMatchObject({
      gpu_kind: "a10",
      gpus: 1,
    });

    await flyMachineProvider.delete!(created.id, updated.outs!);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)?.state ?? "destroyed").toBe("destroyed");
  });

  it("refuses a GPU on shared CPUs, an empty GPU kind, and a GPU count without a kind", async () => {
    const check = async (guest: object) =>
      (await flyMachineProvider.check!({} as never, ollamaInputs("vol_1", { guest: guest as never })))
        .failures;
    expect(await check({ ...GPU_GUEST, cpuKind: "shared" })).toEqual([
      expect.objectContaining({ property: "guest.cpuKind" }),
    ]);
    expect(await check({ ...GPU_GUEST, gpuKind: "" })).toEqual(
      expect.arrayContaining([expect.objectContaining({ property: "guest.gpuKind" })]),
    );
    expect(await check({ cpuKind: "performance", cpus: 8, memoryMb: 32768, gpus: 1 })).toEqual([
      expect.objectContaining({ property: "guest.gpus" }),
    ]);
    expect(await check({ ...GPU_GUEST, gpus: 0 })).toEqual([
      expect.objectContaining({ property: "guest.gpus" }),
    ]);
  });
});

describe("GPU guest mapping", () => {
  it("sends gpu_kind and gpus (one GPU unless told), and reads them back as they were declared", () => {
    const spec = ollamaInputs("vol_1", { guest: { ...GPU_GUEST, gpus: undefined } });
    const config = toMachineConfig(spec, spec.name);
    expect(config.guest).toMatchObject({ gpu_kind: "a10", gpus: 1 });
    expect(toMachineConfig({ ...spec, ...fromMachineConfig(config) }, spec.name)).toEqual(config);
  });

  it("reads Fly's empty GPU fields on a CPU machine as no GPU, so they are no drift", () => {
    const spec = machineInputs();
    const config = toMachineConfig(spec, spec.name);
    expect(config.guest).not.toHaveProperty("gpu_kind");
    const live = { ...config, guest: { ...config.guest, gpu_kind: "", gpus: 0 } };
    expect(fromMachineConfig(live).guest).toEqual(spec.guest);
  });
});
