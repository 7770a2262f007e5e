import { describe, expect, it } from "vitest";
import {
  flyAppProvider,
  flyCertificateProvider,
  flyIpAssignmentProvider,
  flyMachineProvider,
  flySecretsProvider,
  flyVolumeProvider,
} from "../../../infra/providers/fly";
import { APP, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

describe("no-op refresh", () => {
  const fake = useFakeFly();

  it("reads every resource with GETs only and finds nothing to change", async () => {
    const app = { name: APP, org: ORG };
    const secrets = { app: APP, values: { DATABASE_URL: "postgres://x", JWT_SECRET: "j".repeat(48) } };
    const volume = { app: APP, name: "data", region: "cdg", sizeGb: 1 };
    const v4 = { app: APP, type: "shared_v4" as const };
    const cert = { app: APP, hostname: "api.mapquiz.example.com" };

    const a = await flyAppProvider.create(app);
    const s = await flySecretsProvider.create(secrets);
    const vol = await flyVolumeProvider.create(volume);
    const web = machineInputs({
      minSecretsVersion: s.outs!.version,
      mounts: [{ volume: vol.id, path: "/data" }],
    });
    const m = await flyMachineProvider.create(web);
    const ip = await flyIpAssignmentProvider.create(v4);
    const c = await flyCertificateProvider.create(cert);

    const before = fake().mutations().length;
    const reads = await Promise.all([
      flyAppProvider.read!(a.id, a.outs),
      flySecretsProvider.read!(s.id, s.outs),
      flyVolumeProvider.read!(vol.id, vol.outs),
      flyMachineProvider.read!(m.id, m.outs),
      flyIpAssignmentProvider.read!(ip.id, ip.outs),
      flyCertificateProvider.read!(c.id, c.outs),
    ]);
    expect(fake().mutations().length).toBe(before);

    const diffs = await Promise.all([
      flyAppProvider.diff!(a.id, reads[0].props!, app),
      flySecretsProvider.diff!(s.id, reads[1].props!, secrets),
      flyVolumeProvider.diff!(vol.id, reads[2].props!, volume),
      flyMachineProvider.diff!(m.id, reads[3].props!, web),
      flyIpAssignmentProvider.diff!(ip.id, reads[4].props!, v4),
      flyCertificateProvider.diff!(c.id, reads[5].props!, cert),
    ]);
    expect(diffs.map((d) => d.changes)).toEqual([false, false, false, false, false, false]);
  });
});
