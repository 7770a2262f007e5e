import { describe, expect, it } from "vitest";
import {
  flyAppProvider,
  flyCertificateProvider,
  flyIpAssignmentProvider,
  flyMachineProvider,
  flyVolumeProvider,
} from "../../../infra/providers/fly";
import { APP, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("FlyVolume, FlyIpAssignment and FlyCertificate providers", () => {
  const fake = useFakeFly();

  it("volume: encrypted create, grow, settings, attach, 409 while attached, delete", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const inputs = { app: APP, name: "redis_data", region: "cdg", sizeGb: 1 };
    const created = await flyVolumeProvider.create(inputs);
    expect(created.outs).toMatchObject({ volumeId: created.id, encrypted: true, sizeGb: 1 });
    expect(fake().requests.at(-1)?.body).toMatchObject({ encrypted: true, size_gb: 1 });

    const bigger = { ...inputs, sizeGb: 3, snapshotRetentionDays: 14 };
    expect(await flyVolumeProvider.diff!(created.id, created.outs!, bigger)).toMatchObject({
      changes: true,
      replaces: [],
    });
    await flyVolumeProvider.update!(created.id, created.outs!, bigger);
    expect(fake().store.apps.get(APP)!.volumes.get(created.id)).toMatchObject({
      size_gb: 3,
      snapshot_retention: 14,
    });
    const shrink = await flyVolumeProvider.check!(bigger, { ...bigger, sizeGb: 2 });
    expect(shrink.failures?.[0]?.property).toBe("sizeGb");

    const machine = await flyMachineProvider.create(
      machineInputs({
        name: "redis",
        services: [],
        checks: {},
        mounts: [{ volume: created.id, path: "/data" }],
      }),
    );
    await expect(flyVolumeProvider.delete!(created.id, created.outs!)).rejects.toThrow(
      /volume \S+ of app mapquiz-api-dev failed with HTTP 409: volume \S+ is attached to machine/,
    );
    await flyMachineProvider.delete!(machine.id, machine.outs!);
    await flyVolumeProvider.delete!(created.id, created.outs!);
    expect(await flyVolumeProvider.read!(created.id, created.outs)).toEqual({});
  });

  it("volume: a re-run adopts the volume an interrupted run created", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const inputs = { app: APP, name: "redis_data", region: "cdg", sizeGb: 1 };
    const first = await flyVolumeProvider.create(inputs);
    const second = await flyVolumeProvider.create(inputs);
    expect(second.id).toBe(first.id);
    expect(fake().store.apps.get(APP)!.volumes.size).toBe(1);
  });

  it("IPs: shared v4 and v6 for a public service, adopted on re-run, released on delete", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const v4 = await flyIpAssignmentProvider.create({ app: APP, type: "shared_v4" });
    const v6 = await flyIpAssignmentProvider.create({ app: APP, type: "v6" });
    expect(v4.outs?.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(v6.outs?.address).toContain(":");
    expect((await flyIpAssignmentProvider.create({ app: APP, type: "v6" })).id).toBe(v6.id);
    expect(fake().store.apps.get(APP)!.ips).toHaveLength(2);

    expect((await flyIpAssignmentProvider.read!(v6.id, v6.outs)).props).toEqual(v6.outs);
    await flyIpAssignmentProvider.delete!(v6.id, v6.outs!);
    expect(await flyIpAssignmentProvider.read!(v6.id, v6.outs)).toEqual({});
    await expect(flyIpAssignmentProvider.delete!(v6.id, v6.outs!)).resolves.toBeUndefined();
    expect(await flyIpAssignmentProvider.diff!(v4.id, v4.outs!, { app: APP, type: "v4" })).toMatchObject({
      replaces: ["type"],
    });
  });

  it("certificate: ACME request with DNS requirements, adopt when it exists, delete", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    await flyIpAssignmentProvider.create({ app: APP, type: "shared_v4" });
    const inputs = { app: APP, hostname: "api.mapquiz.example.com" };
    expect((await flyCertificateProvider.check!({} as never, inputs)).failures).toEqual([]);
    const created = await flyCertificateProvider.create(inputs);
    expect(created.outs).toMatchObject({
      hostname: "api.mapquiz.example.com",
      status: "pending_validation",
      dnsCname: `${APP}.fly.dev`,
      acmeChallengeName: "_acme-challenge.api.mapquiz.example.com",
    });
    expect(created.outs?.dnsA).toHaveLength(1);
    expect((await flyCertificateProvider.create(inputs)).id).toBe(created.id);
    expect(fake().store.apps.get(APP)!.certificates.size).toBe(1);

    await flyCertificateProvider.delete!(created.id, created.outs!);
    expect(await flyCertificateProvider.read!(created.id, created.outs)).toEqual({});
  });

  it("every call on a missing app answers 404 app not found, and reads report the resource gone", async () => {
    const props = {
      app: "missing-app",
      name: "redis_data",
      region: "cdg",
      sizeGb: 1,
      volumeId: "vol_x",
      encrypted: true,
      zone: "",
    };
    expect(await flyVolumeProvider.read!("vol_x", props)).toEqual({});
    expect(fake().requests.at(-1)).toMatchObject({ status: 404 });
    await expect(flyVolumeProvider.create(props)).rejects.toThrow(
      /volumes of app missing-app failed with HTTP 404: app not found/,
    );
  });
});
