/**
 * A service that names an existing Fly app (`flyApp`) takes it over: its FlyApp reads it first, and a
 * handover that waits for every machine of the service retires the machines that served it before.
 * Every other service gets its own `<app>-<service>-<stack>` app and no handover. Derived from each
 * stack's config, so it holds for any app the catalog adds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { StackEvaluation } from "../../tools/engine/types";
import { evaluateAll, ofType, platformOf, STACKS, type Stack } from "./support";

const FLY_APP = "pulumi-nodejs:dynamic/fly:App";
const MACHINE = "pulumi-nodejs:dynamic/fly:Machine";
const HANDOVER = "pulumi-nodejs:dynamic/fly:MachineHandover";

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

describe.each(STACKS)("Fly app adoption in %s", (stack) => {
  const platform = platformOf(stack);
  const services = Object.entries(platform.apps).flatMap(([app, spec]) =>
    Object.entries(spec.services)
      .filter(([, s]) => s.enabled)
      .map(([service, s]) => ({ app, service, flyApp: s.flyApp })),
  );

  it.each(services)(
    "$app.$service runs on the Fly app the catalog names, or its own",
    ({ app, service, flyApp }) => {
      const prefix = `${app}-backend-${service}`;
      const appResource = ofType(stacks[stack], FLY_APP).find((r) => r.name === `${prefix}-app`)!;
      const handover = ofType(stacks[stack], HANDOVER).find((r) => r.name === `${prefix}-handover`);
      const ours = ofType(stacks[stack], MACHINE).filter((r) => r.name.startsWith(`${prefix}-machine-`));
      if (flyApp === undefined) {
        expect(appResource.inputs).toMatchObject({ name: `${app}-${service}-${stack}` });
        expect(appResource.inputs["adoptExisting"]).toBeUndefined();
        expect(handover).toBeUndefined();
        return;
      }
      expect(appResource.inputs).toMatchObject({ name: flyApp, adoptExisting: true });
      // The handover waits for every machine of the service, and names them all.
      // Beside the machines it waits for, in the same Backend component.
      expect(handover?.parent).toBe(appResource.parent);
      expect([...handover!.dependsOn].sort()).toEqual(expect.arrayContaining(ours.map((m) => m.urn)));
      expect((handover!.inputs["machineIds"] as unknown[]).length).toBe(ours.length);
    },
  );
});

describe("the shipped prod stack", () => {
  it("takes over at least one running Fly app instead of creating a second copy", () => {
    const named = Object.values(platformOf("prod").apps).flatMap((a) =>
      Object.values(a.services).filter((s) => s.flyApp),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(ofType(stacks.prod, HANDOVER)).toHaveLength(named.length);
  });
});
