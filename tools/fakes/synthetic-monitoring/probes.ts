/**
 * The Synthetic Monitoring probe list the offline engine answers `getProbes` with: the public probes
 * grafana/terraform-provider-grafana v4.45.1 names in its own examples
 * (`examples/resources/grafana_synthetic_monitoring_check/*.tf`, `data.grafana_synthetic_monitoring_probes.main.probes.<name>`;
 * `Ohio` is also what its acceptance test `data_source_probes_test.go` expects).
 *
 * Grafana publishes no ids for them: an account's ids come from `GET /api/v1/probe/list`. The ids
 * here are the list's positions, stand-ins that never reach a deployment (`pulumi up` reads the
 * account's list through the provider).
 */
export const DOCUMENTED_PUBLIC_PROBES = ["Frankfurt", "London", "Mumbai", "Ohio", "Paris"] as const;

/** The fake's answer, as the provider's data source shapes it: probe name → id. */
export function fakeProbeList(): Record<string, number> {
  return Object.fromEntries(DOCUMENTED_PUBLIC_PROBES.map((name, i) => [name, i + 1]));
}
