/**
 * An app whose metrics contract is `prometheus` gets Fly's scrape config (`metrics: { port, path }`)
 * on the machines of the services it lists, and nowhere else; the Fly API fake, validated against
 * the Machines spec, accepts what the provider sends; bad contracts stop the stack with the key path.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { metricsScrape } from "../../infra/components/fly-machine-config";
import { flyAppName } from "../../infra/naming";
import { flyAppProvider, flyMachineProvider, type FlyMachineInputs } from "../../infra/providers/fly";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { machineInputs, APP } from "../providers/fly/mapquiz-inputs";
import { ORG, useFakeFly } from "../providers/fly/harness";
import { appsOf, configIssues, copyProject, realConfig } from "../support/config-fixtures";
import { ofType, platformOf } from "./support";

const MACHINE = "pulumi-nodejs:dynamic/fly:Machine";
const STACK = "prod";
const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

/** The first catalog app with an enabled Fly service in the stack, and that service. */
function scrapedService(): { app: string; service: string; port: number | undefined } {
  for (const [app, spec] of Object.entries(platformOf(STACK).apps)) {
    const found = Object.entries(spec.services).find(([, s]) => s.enabled);
    if (found) return { app, service: found[0], port: found[1].port };
  }
  throw new Error("the catalog has no app on Fly.io");
}

/** A metrics port the service does not already serve on. */
function freePort(taken: number | undefined): number {
  return taken === 9091 ? 9092 : 9091;
}

/** A copy of the project whose catalog gives `app` a prometheus contract on `service`. */
function withContract(app: string, contract: Record<string, unknown>): string {
  const dir = copyProject();
  const file = path.join(dir, "Pulumi.yaml");
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as {
    config: { "launchpad:apps": { value: Record<string, { alerts: Record<string, unknown> }> } };
  };
  doc.config["launchpad:apps"].value[app]!.alerts["metrics"] = contract;
  fs.writeFileSync(file, YAML.stringify(doc));
  return dir;
}

describe("metricsScrape", () => {
  const contract = {
    source: "prometheus" as const,
    names: ["launchpad_queue_size" as const],
    services: ["worker"],
    port: 9091,
    path: "/internal/metrics",
  };

  it("gives the listed services the contract's port and path", () => {
    expect(metricsScrape(contract, "worker")).toEqual({ port: 9091, path: "/internal/metrics" });
  });

  it("gives nothing to a service the contract does not list, nor for rows or no contract", () => {
    expect(metricsScrape(contract, "api")).toBeUndefined();
    expect(metricsScrape({ source: "sql", table: "jobs" }, "worker")).toBeUndefined();
    expect(metricsScrape(undefined, "worker")).toBeUndefined();
  });
});

describe("a prometheus contract in the catalog", () => {
  const target = scrapedService();
  const port = freePort(target.port);
  let plan: StackEvaluation;

  beforeAll(async () => {
    const dir = withContract(target.app, {
      source: "prometheus",
      names: ["launchpad_queue_size"],
      services: [target.service],
      port,
    });
    plan = await evaluateStack(STACK, { projectDir: dir });
  });

  const flyApp = (r: { inputs: Record<string, unknown> }) => String(r.inputs["app"]);

  it("puts Fly's scrape config on every machine of the listed service, with the default path", () => {
    const name = flyAppName(target.app, target.service, platformOf(STACK).environment);
    const scraped = ofType(plan, MACHINE).filter((m) => flyApp(m) === name);
    expect(scraped.length).toBeGreaterThan(0);
    for (const machine of scraped) expect(machine.inputs["metrics"]).toEqual({ port, path: "/metrics" });
  });

  it("leaves every other machine without one", () => {
    const name = flyAppName(target.app, target.service, platformOf(STACK).environment);
    const others = ofType(plan, MACHINE).filter((m) => flyApp(m) !== name);
    expect(others.length).toBeGreaterThan(0);
    for (const machine of others) expect(machine.inputs["metrics"]).toBeUndefined();
  });

  it("is absent from the stacks as the catalog declares them today, unless an app asks", async () => {
    const today = await evaluateStack(STACK);
    const asking = Object.values(platformOf(STACK).apps).some(
      (a) => a.alerts.metrics?.source === "prometheus",
    );
    const scrapedToday = ofType(today, MACHINE).filter((m) => m.inputs["metrics"] !== undefined);
    expect(scrapedToday.length > 0).toBe(asking);
  });
});

describe("the scrape config on the wire (Fly API fake, validated against the Machines spec)", () => {
  const fake = useFakeFly();
  const metrics = { port: 9091, path: "/metrics" };

  it("is sent as the machine config's `metrics`, accepted, and read back without drift", async () => {
    await flyAppProvider.create({ name: APP, org: ORG });
    const inputs: FlyMachineInputs = machineInputs({ metrics });
    expect((await flyMachineProvider.check!({} as never, inputs)).failures).toEqual([]);
    const created = await flyMachineProvider.create(inputs);

    const sent = fake()
      .requests.filter((r) => r.method === "POST" && r.operationId === "Machines_create")
      .map((r) => (r.body as { config: { metrics?: unknown } }).config.metrics);
    expect(sent).toEqual([metrics]);
    expect(fake().store.apps.get(APP)!.machines.get(created.id)!.config.metrics).toEqual(metrics);

    const read = await flyMachineProvider.read!(created.id, created.outs);
    expect(read.props?.["metrics"]).toEqual(metrics);
    expect(await flyMachineProvider.diff!(created.id, read.props!, inputs)).toMatchObject({ changes: false });
    // Dropping the contract is a change the next `up` makes.
    const { metrics: _dropped, ...without } = inputs;
    expect(await flyMachineProvider.diff!(created.id, read.props!, without)).toMatchObject({ changes: true });
  });

  it("is refused by the provider's check when the port or path is not one Fly can scrape", async () => {
    const failures = async (m: { port: number; path: string }) =>
      ((await flyMachineProvider.check!({} as never, machineInputs({ metrics: m }))).failures ?? []).map(
        (f) => f.property,
      );
    expect(await failures({ port: 0, path: "/metrics" })).toEqual(["metrics.port"]);
    expect(await failures({ port: 65536, path: "/metrics" })).toEqual(["metrics.port"]);
    expect(await failures({ port: 9091, path: "metrics" })).toEqual(["metrics.path"]);
  });
});

describe("a bad prometheus contract", () => {
  const target = scrapedService();

  /** The loader's problems once `app`'s contract is `contract`, as `file: key: message`. */
  function problems(contract: Record<string, unknown>, edit?: (apps: Record<string, any>) => void): string[] {
    const config = realConfig(STACK);
    appsOf(config)[target.app]!["alerts"]["metrics"] = contract;
    edit?.(appsOf(config));
    return configIssues(STACK, config).map((i) => `${i.file}: ${i.key}: ${i.message}`);
  }
  const key = `launchpad:apps.${target.app}.alerts.metrics`;
  const base = { source: "prometheus", names: ["launchpad_queue_size"], services: [target.service] };

  it("is refused for a port outside 1-65535, naming the key", () => {
    for (const port of [0, 65536, 80.5]) {
      expect(problems({ ...base, port })).toEqual([expect.stringContaining(`Pulumi.yaml: ${key}.port: `)]);
    }
  });

  it("is refused for a path that does not start with /", () => {
    expect(problems({ ...base, port: 9091, path: "metrics" })).toEqual([
      expect.stringContaining(`${key}.path: expected a path starting with /`),
    ]);
  });

  it("is refused without a port or a service, naming what is missing", () => {
    const { services: _s, ...noService } = base;
    expect(problems(base).join("\n")).toContain(`${key}.port`);
    expect(problems({ ...noService, port: 9091 }).join("\n")).toContain(`${key}.services`);
  });

  it("is refused when it lists a service the app does not declare", () => {
    expect(problems({ ...base, services: ["no-such-service"], port: 9091 })).toEqual([
      expect.stringMatching(
        new RegExp(
          `${key.replace(/\./g, "\\.")}\\.services\\[0\\]: the app declares no service "no-such-service"`,
        ),
      ),
    ]);
  });

  it("is refused when the metrics would be served on a public service's proxied port", () => {
    const apps = platformOf(STACK).apps;
    const exposed = Object.entries(apps).flatMap(([app, spec]) =>
      Object.entries(spec.services)
        .filter(([, s]) => s.enabled && s.port !== undefined && (s.public ?? s.kind === "web"))
        .map(([service, s]) => ({ app, service, port: s.port! })),
    )[0];
    // The catalog serves at least one public service with a port (a frontend's API, a web service).
    expect(exposed).toMatchObject({
      app: expect.any(String),
      service: expect.any(String),
      port: expect.any(Number),
    });
    const config = realConfig(STACK);
    appsOf(config)[exposed!.app]!["alerts"]["metrics"] = {
      ...base,
      services: [exposed!.service],
      port: exposed!.port,
    };
    expect(configIssues(STACK, config).map((i) => `${i.key}: ${i.message}`)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^launchpad:apps\\.${exposed!.app}\\.alerts\\.metrics\\.port: ${exposed!.port} is the port public service`,
        ),
      ),
    ]);
  });

  it("is refused when none of its services runs in the stack", () => {
    const found = problems({ ...base, port: 9091 }, (apps) => {
      apps[target.app]!["services"][target.service]["enabled"] = false;
    });
    expect(found.join("\n")).toContain(
      `${key}.services: prometheus metrics are scraped from Fly.io services, and none of these is enabled in this stack`,
    );
  });

  it("stops the CLI with exit 2 and the file and key path, registering nothing", () => {
    const dir = withContract(target.app, { ...base, port: 70000 });
    const run = spawnSync(process.execPath, [BIN, "plan", "--stack", STACK, "--cwd", dir], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `Pulumi.yaml (stack ${STACK}): ${key}.port: expected a number ≤ 65535, got 70000`,
    );
    expect(run.stdout).not.toMatch(/Stack prod/);
  });
});
