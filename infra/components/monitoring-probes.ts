/**
 * The Synthetic Monitoring probes a stack's checks run from: the profile names them, the account's
 * probe list gives their ids.
 */
import * as grafana from "@pulumiverse/grafana";
import { ConfigError, stackFile, type EnvironmentProfile } from "../config";

/**
 * The ids of the profile's probes, from the account's probe list (name → id, as the provider's
 * `grafana_synthetic_monitoring_probes` returns it). An unknown name stops the program, naming the key.
 */
export function resolveProbes(
  names: readonly string[],
  available: Readonly<Record<string, number>>,
  stack: string,
): number[] {
  const unknown = names.flatMap((name, i) => (Object.hasOwn(available, name) ? [] : [{ name, i }]));
  if (unknown.length > 0) {
    const known = Object.keys(available).sort().join(", ") || "none";
    throw new ConfigError(
      unknown.map(({ name, i }) => ({
        file: stackFile(stack),
        key: `launchpad:environment.alerting.probes[${i}]`,
        message: `no Synthetic Monitoring probe is named ${JSON.stringify(name)}; the account lists ${known}`,
        stack,
      })),
    );
  }
  return names.map((name) => available[name]!);
}

/**
 * The profile's probe ids, read once per stack through the provider's probe list
 * (`grafana_synthetic_monitoring_probes`, deprecated probes left out) before any resource is declared:
 * an unknown name stops the program with nothing registered.
 */
export async function probeIdsOf(environment: EnvironmentProfile): Promise<number[]> {
  const { probes } = await grafana.syntheticmonitoring.getProbes({});
  return resolveProbes(environment.alerting.probes, probes ?? {}, environment.name);
}
