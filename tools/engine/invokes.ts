import { fakeProbeList } from "../fakes/synthetic-monitoring/probes";

/** The provider functions (data sources) the program reads, each answered from a local fake. */
const ANSWERS: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  // grafana_synthetic_monitoring_probes: `id` is always "probes"; `probes` maps name → id.
  "grafana:syntheticMonitoring/getProbes:getProbes": (inputs) => ({
    id: "probes",
    probes: fakeProbeList(),
    ...(inputs["filterDeprecated"] !== undefined ? { filterDeprecated: inputs["filterDeprecated"] } : {}),
  }),
};

/**
 * Answers a provider function call offline. A function no fake answers is an error, not an empty
 * result: the program would otherwise be planned on values nobody supplied.
 */
export function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const answer = ANSWERS[token];
  if (!answer) throw new Error(`the offline engine has no answer for the provider function ${token}`);
  return answer(inputs);
}
