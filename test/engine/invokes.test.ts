/** Provider functions under the offline engine: answered by a fake, never by an empty guess. */
import { describe, expect, it } from "vitest";
import { answerInvoke } from "../../tools/engine/invokes";
import { DOCUMENTED_PUBLIC_PROBES, fakeProbeList } from "../../tools/fakes/synthetic-monitoring/probes";

describe("answerInvoke", () => {
  it("answers the probe list as the provider's data source shapes it, from the fake's documented probes", () => {
    const answer = answerInvoke("grafana:syntheticMonitoring/getProbes:getProbes", {});
    expect(answer["id"]).toBe("probes");
    expect(answer["probes"]).toEqual(fakeProbeList());
    expect(Object.keys(answer["probes"] as object).sort()).toEqual([...DOCUMENTED_PUBLIC_PROBES].sort());
    const ids = Object.values(answer["probes"] as Record<string, number>);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses a provider function no fake answers, naming it", () => {
    expect(() => answerInvoke("grafana:oss/getFolder:getFolder", { uid: "x" })).toThrow(
      /no answer for the provider function grafana:oss\/getFolder:getFolder/,
    );
  });
});
