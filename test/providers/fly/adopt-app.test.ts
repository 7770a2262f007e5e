/**
 * Taking over a Fly app that already serves traffic (the catalog's `flyApp`): the app is read, never
 * recreated or deleted, and the machines that served it stop only after the stack's own pass their checks.
 */

import { describe, expect, it } from "vitest";
import {
  flyAppProvider,
  flyClient,
  flyMachineHandoverProvider,
  flyMachineProvider,
} from "../../../infra/providers/fly";
import { APP, IMAGE_V1, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { callCounts, ORG, useFakeFly } from "./harness";

const LEGACY_IMAGE = "registry.fly.io/backend-solitary-moon-1875:deployment-01";

describe("adopting an existing Fly app", () => {
  const fake = useFakeFly();

  /** The app as `fly deploy` left it: one started machine with passing checks, unknown to the stack. */
  async function existingApp(): Promise<string> {
    fake().store.addApp(APP, ORG);
    const legacy = await flyClient.machines.create(
      APP,
      {
        region: "cdg",
        config: {
          image: LEGACY_IMAGE,
          metadata: { fly_process_group: "app" },
          services: [
            { protocol: "tcp", internal_port: 3000, checks: [{ type: "http", port: 3000, path: "/health" }] },
          ],
        },
      },
      "legacy machine",
    );
    await flyClient.machines.wait(APP, legacy.id!, "started", { timeoutSeconds: 10 });
    fake().store.advance(60);
    expect(
      (await flyClient.machines.get(APP, legacy.id!))?.checks?.every((c) => c.status === "passing"),
    ).toBe(true);
    return legacy.id!;
  }

  const legacyMachine = (id: string) => fake().store.apps.get(APP)!.machines.get(id)!;

  it("reads the app first and takes it over without creating it", async () => {
    await existingApp();
    const from = fake().requests.length;
    const created = await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    expect(created.outs).toMatchObject({ adopted: true, appId: fake().store.apps.get(APP)!.id });
    expect(callCounts(fake(), from)).toEqual({ "GET Apps_show": 1 });
  });

  it("creates the app when the name is free, as a generated one", async () => {
    const created = await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    expect(created.outs?.adopted).toBe(false);
    expect(fake().store.apps.has(APP)).toBe(true);
  });

  it("refuses an app of that name in another organization", async () => {
    fake().store.addApp(APP, "someone-else");
    await expect(flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true })).rejects.toThrow(
      /outside organization launchpad/,
    );
  });

  it("hands traffic over without downtime: the old machine stops only after the new one passes its checks", async () => {
    const legacy = await existingApp();
    const app = await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    const ours = await flyMachineProvider.create(machineInputs({ image: IMAGE_V1 }));
    // The stack's machine is up and healthy while the old one still serves.
    expect(legacyMachine(legacy).state).toBe("started");

    const handover = await flyMachineHandoverProvider.create({ app: APP, machineIds: [ours.id] });
    expect(handover.outs?.retired).toEqual([legacy]);
    fake().store.advance(5);
    expect(legacyMachine(legacy)).toMatchObject({ state: "stopped", cordoned: true });
    const live = fake().store.apps.get(APP)!.machines.get(ours.id)!;
    expect(live.state).toBe("started");
    // Stopped, not destroyed: it stays as a way back; the app is the same app.
    expect(fake().store.apps.get(APP)!.id).toBe(app.outs!.appId);
    // A second handover finds nothing left to retire: it only reads.
    const from = fake().requests.length;
    const again = await flyMachineHandoverProvider.update!(APP, handover.outs!, {
      app: APP,
      machineIds: [ours.id],
    });
    expect(again.outs?.retired).toEqual([legacy]);
    expect(callCounts(fake(), from)).toEqual({ "GET Machines_list": 1 });
  });

  it("leaves the old machine serving when the new one never becomes healthy", async () => {
    const legacy = await existingApp();
    await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    fake().faults.unhealthyImages.add(IMAGE_V2);
    await expect(flyMachineProvider.create(machineInputs({ image: IMAGE_V2 }))).rejects.toThrow();
    expect(legacyMachine(legacy).state).toBe("started");
    expect(fake().store.apps.has(APP)).toBe(true);
  });

  it("refuses to hand over to a started machine whose checks fail, touching nothing", async () => {
    const legacy = await existingApp();
    fake().faults.unhealthyImages.add(IMAGE_V2);
    const sick = await flyClient.machines.create(
      APP,
      {
        region: "cdg",
        config: { image: IMAGE_V2, checks: { health: { type: "http", port: 3000, path: "/health" } } },
      },
      "sick",
    );
    await flyClient.machines.wait(APP, sick.id!, "started", { timeoutSeconds: 10 });
    fake().store.advance(60);
    await expect(flyMachineHandoverProvider.create({ app: APP, machineIds: [sick.id!] })).rejects.toThrow(
      /not started with passing checks; the machines already serving the app are left as they are/,
    );
    expect(legacyMachine(legacy).state).toBe("started");
    expect(legacyMachine(legacy).cordoned).toBeUndefined();
  });

  it("refuses a handover to a machine that does not exist, touching nothing", async () => {
    const legacy = await existingApp();
    await expect(flyMachineHandoverProvider.create({ app: APP, machineIds: ["nope"] })).rejects.toThrow(
      /machines nope are not started/,
    );
    expect(legacyMachine(legacy).state).toBe("started");
    expect(legacyMachine(legacy).cordoned).toBeUndefined();
  });

  it("never deletes an adopted app, on destroy or replacement", async () => {
    await existingApp();
    const adopted = await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    const from = fake().requests.length;
    await flyAppProvider.delete!(adopted.id, adopted.outs!);
    expect(fake().store.apps.has(APP)).toBe(true);
    expect(callCounts(fake(), from)).toEqual({});
  });

  it("still deletes an app the stack created", async () => {
    const created = await flyAppProvider.create({ name: APP, org: ORG, adoptExisting: true });
    await flyAppProvider.delete!(created.id, created.outs!);
    expect(fake().store.apps.has(APP)).toBe(false);
  });

  it("changes only its bookkeeping when adoption is declared on an app the stack already manages", async () => {
    const created = await flyAppProvider.create({ name: APP, org: ORG });
    const news = { name: APP, org: ORG, adoptExisting: true };
    expect(await flyAppProvider.diff!(APP, created.outs!, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const from = fake().requests.length;
    const updated = await flyAppProvider.update!(APP, created.outs!, news);
    expect(updated.outs).toMatchObject({ adopted: false, appId: created.outs!.appId });
    expect(fake().requests.length).toBe(from);
  });
});
