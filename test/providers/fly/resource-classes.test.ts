import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

const registered: MockResourceArgs[] = [];
const TOKEN = "fo1_never_in_state_0123456789";

describe("Fly resource classes", () => {
  it("register distinct type tokens, keep secret values secret and no token in state", async () => {
    process.env.FLY_API_TOKEN = TOKEN;
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "launchpad",
      "dev",
      false,
    );
    const fly = await import("../../../infra/providers/fly");
    const app = new fly.FlyApp("api", { name: "mapquiz-api-dev", org: "launchpad" });
    const secrets = new fly.FlySecrets("api-secrets", {
      app: app.name,
      values: { BETTER_AUTH_SECRET: pulumi.secret("s".repeat(64)) },
    });
    const volume = new fly.FlyVolume("api-data", { app: app.name, name: "data", region: "cdg", sizeGb: 1 });
    const machine = new fly.FlyMachine("api-web-1", {
      app: app.name,
      name: "web-1",
      region: "cdg",
      image: "registry.fly.io/mapquiz-api-dev:v1",
      guest: { cpus: 1, memoryMb: 512 },
      minSecretsVersion: secrets.version,
      mounts: [{ volume: "vol_1", path: "/data" }],
    });
    const ip = new fly.FlyIpAssignment("api-v4", { app: app.name, type: "shared_v4" });
    const cert = new fly.FlyCertificate("api-cert", { app: app.name, hostname: "api.mapquiz.example.com" });

    const resources = [app, secrets, volume, machine, ip, cert];
    await new Promise<void>((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(() => resolve()));
    // Secret values reach the engine wrapped in Pulumi's secret signature, so state encrypts them.
    const secretInputs = registered.find((r) => r.type.endsWith("Secrets"))?.inputs;
    expect(secretInputs?.values).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    });
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/fly:App",
      "pulumi-nodejs:dynamic/fly:Certificate",
      "pulumi-nodejs:dynamic/fly:IpAssignment",
      "pulumi-nodejs:dynamic/fly:Machine",
      "pulumi-nodejs:dynamic/fly:Secrets",
      "pulumi-nodejs:dynamic/fly:Volume",
    ]);
    expect(JSON.stringify(registered)).not.toContain(TOKEN);
  });
});
