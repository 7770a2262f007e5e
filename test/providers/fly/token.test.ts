import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  flyAppProvider,
  flyCertificateProvider,
  flyIpAssignmentProvider,
  flyMachineProvider,
  flySecretsProvider,
  flyVolumeProvider,
} from "../../../infra/providers/fly";
import { APP, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";
import { captureConsole } from "../console-capture";

const PROVIDERS = {
  flyAppProvider,
  flySecretsProvider,
  flyMachineProvider,
  flyVolumeProvider,
  flyIpAssignmentProvider,
  flyCertificateProvider,
};

describe("the Fly API token never leaks", () => {
  const fake = useFakeFly();
  const logged = captureConsole();

  const errorText = (e: unknown) => (e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e));

  it("is absent from state, outputs, errors and logs of a full lifecycle", async () => {
    const token = fake().token;
    const recorded: unknown[] = [];
    const errors: string[] = [];
    const attempt = async <T>(p: Promise<T>) => {
      try {
        recorded.push(await p);
      } catch (e) {
        errors.push(errorText(e));
      }
    };

    const app = await flyAppProvider.create({ name: APP, org: ORG });
    const secrets = await flySecretsProvider.create({ app: APP, values: { FLY_API_TOKEN: token, A: "1" } });
    const machine = await flyMachineProvider.create(
      machineInputs({ minSecretsVersion: secrets.outs!.version }),
    );
    recorded.push(app, secrets, machine);
    await attempt(flyMachineProvider.read!(machine.id, machine.outs));
    await attempt(flySecretsProvider.read!(secrets.id, secrets.outs));

    fake().faults.unhealthyImages.add(IMAGE_V2);
    await attempt(flyMachineProvider.update!(machine.id, machine.outs!, machineInputs({ image: IMAGE_V2 })));
    fake().faults.failures.push({
      status: 503,
      times: 10,
      message: `upstream saw Authorization: Bearer ${token}`,
    });
    await attempt(flyAppProvider.read!(app.id, app.outs));
    fake().faults.failures.length = 0;
    await attempt(flyAppProvider.create({ name: "taken", org: "not-my-org" }));
    process.env.FLY_API_BASE_URL = "http://127.0.0.1:1";
    await attempt(flyAppProvider.read!(app.id, app.outs));

    expect(errors).toHaveLength(4);
    expect(errors[1]).toContain("Bearer [redacted]");
    const haystack = JSON.stringify(recorded) + errors.join("\n") + logged.join("\n");
    expect(haystack).not.toContain(token);
  });

  it("is not captured by the serialized providers that Pulumi stores in state", async () => {
    const token = fake().token;
    for (const [name, provider] of Object.entries(PROVIDERS)) {
      const serialized = await pulumi.runtime.serializeFunction(() => provider);
      expect(serialized.text, name).not.toContain(token);
      expect(serialized.text, name).not.toContain(fake().url);
      expect(serialized.text, name).toContain("FLY_API_TOKEN");
    }
  });
});
