import { describe, expect, it } from "vitest";
import { flyAppProvider, flyMachineProvider } from "../../../infra/providers/fly";
import { machines } from "../../../infra/providers/fly/api/machines";
import { waitForHealthy, waitForState } from "../../../infra/providers/fly/health";
import { toMachineConfig } from "../../../infra/providers/fly/machine-config";
import { APP, IMAGE_V2, machineInputs } from "./mapquiz-inputs";
import { ORG, useFakeFly } from "./harness";

/**
 * The health gate's grace is timed on the API's clock (the fake's: one second per request), so
 * these outcomes do not depend on how fast this process runs.
 */
describe("health gate", () => {
  const fake = useFakeFly();

  /** A started machine whose checks have not passed yet (just redeployed with `image`). */
  async function redeployed(image: string): Promise<string> {
    await flyAppProvider.create({ name: APP, org: ORG });
    const created = await flyMachineProvider.create(machineInputs());
    const inputs = machineInputs({ image });
    await machines.update(APP, created.id, { config: toMachineConfig(inputs, inputs.name) });
    expect(await waitForState(APP, created.id, "started", 10)).toBe(true);
    return created.id;
  }

  const polls = (id: string, from: number) =>
    fake()
      .requests.slice(from)
      .filter((r) => r.operationId === "Machines_show" && r.path.endsWith(`/${id}`)).length;

  it("gives up after exactly the grace on the API's clock, however fast it polls", async () => {
    const id = await redeployed(IMAGE_V2);
    fake().faults.unhealthyImages.add(IMAGE_V2);
    const from = fake().requests.length;
    const result = await waitForHealthy(APP, id, 3);
    expect(result.healthy).toBe(false);
    expect(result.failing.join("; ")).toContain("health: critical");
    // Polled at API seconds 0, 1, 2 and 3: the grace ends on the fourth answer.
    expect(polls(id, from)).toBe(4);
  });

  it("does not count a slow response against the grace", async () => {
    const id = await redeployed(IMAGE_V2);
    // The first poll takes longer than the whole grace to arrive; the API's clock barely moved.
    fake().faults.failures.push({ method: "GET", path: `/v1/apps/${APP}/machines/${id}`, delayMs: 1200 });
    const result = await waitForHealthy(APP, id, 1);
    expect(result).toMatchObject({ healthy: true, failing: [] });
  });

  it("times the grace on its own clock when the API sends no Date", async () => {
    const id = await redeployed(IMAGE_V2);
    fake().faults.unhealthyImages.add(IMAGE_V2);
    fake().faults.omitDate = true;
    const result = await waitForHealthy(APP, id, 0.05);
    expect(result.healthy).toBe(false);
  });
});
