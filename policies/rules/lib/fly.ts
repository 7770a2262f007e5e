/** FlyMachine inputs (infra/providers/fly/machine-config.ts) as rules read them. */
import { DEFAULT_PORTS } from "../../../infra/providers/fly/machine-config";
import { isRecord, list, num, record, text, type Props } from "./values";

export interface PortView {
  port: number | undefined;
  handlers: string[];
  forceHttps: boolean;
}

export function services(machine: Props): Props[] {
  return list(machine["services"]).filter(isRecord);
}

/**
 * A service's public ports as the provider sends them: its own, or the defaults (80 redirecting to
 * https unless the service sets `forceHttps: false`, 443 with TLS).
 */
export function portsOf(service: Props): PortView[] {
  if (service["ports"] === undefined) {
    const forceHttps = service["forceHttps"] !== false;
    return DEFAULT_PORTS.map((p) => ({
      port: p.port,
      handlers: [...p.handlers],
      forceHttps: p.port === 80 ? forceHttps : p.forceHttps === true,
    }));
  }
  return list(service["ports"])
    .filter(isRecord)
    .map((p) => ({
      port: num(p["port"]),
      handlers: list(p["handlers"]).filter((h): h is string => typeof h === "string"),
      forceHttps: p["forceHttps"] === true,
    }));
}

/** A service that answers HTTP through Fly's proxy (as opposed to raw TCP or UDP). */
export function isHttpService(service: Props): boolean {
  return portsOf(service).some((p) => p.handlers.includes("http") || p.handlers.includes("tls"));
}

export interface CheckView {
  type: string | undefined;
  path: string | undefined;
  gracePeriod: string | undefined;
  where: string;
}

/** Health checks of a machine: per-service checks and machine-level checks. */
export function checksOf(machine: Props): CheckView[] {
  const view = (c: Props, where: string): CheckView => ({
    type: text(c["type"]),
    path: text(c["path"]),
    gracePeriod: text(c["gracePeriod"]),
    where,
  });
  const perService = services(machine).flatMap((s, i) =>
    list(s["checks"])
      .filter(isRecord)
      .map((c, j) => view(c, `services[${i}].checks[${j}]`)),
  );
  const machineLevel = Object.entries(record(machine["checks"]) ?? {}).flatMap(([name, c]) =>
    isRecord(c) ? [view(c, `checks.${name}`)] : [],
  );
  return [...perService, ...machineLevel];
}

/** A Go duration as Fly takes it (`30s`, `1m`, `500ms`) in seconds; undefined when unreadable. */
export function durationSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) return undefined;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * factor;
}
