/**
 * API calls per operation of the Fly providers, against the local fake Machines API.
 * Run: npx tsx tools/bench/fly-api-calls.ts
 *
 * Operations: create (app + secrets + 2 machines), update one env var on one machine, and a
 * no-op refresh (reads of every resource), which must make no mutating call.
 */

import { startFakeFlyApi, type FakeFlyApi } from "../../test/fakes/fly-api";
import {
  flyAppProvider,
  flyMachineProvider,
  flySecretsProvider,
  type FlyMachineInputs,
} from "../../infra/providers/fly";

const APP = "bench-api-dev";

function machine(name: string, minSecretsVersion: number, env: Record<string, string>): FlyMachineInputs {
  return {
    app: APP,
    name,
    region: "cdg",
    image: `registry.fly.io/${APP}@sha256:${"a".repeat(64)}`,
    guest: { cpus: 1, memoryMb: 512 },
    env,
    services: [{ internalPort: 3000, checks: [{ type: "http", port: 3000, path: "/health" }] }],
    minSecretsVersion,
    healthGraceSeconds: 30,
  };
}

interface Row {
  operation: string;
  total: number;
  mutating: number;
  byCall: Record<string, number>;
  ms: number;
}

async function measure(fake: FakeFlyApi, operation: string, fn: () => Promise<void>): Promise<Row> {
  const from = fake.requests.length;
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  const calls = fake.requests.slice(from);
  const byCall: Record<string, number> = {};
  for (const r of calls)
    byCall[`${r.method} ${r.operationId}`] = (byCall[`${r.method} ${r.operationId}`] ?? 0) + 1;
  return {
    operation,
    total: calls.length,
    mutating: calls.filter((r) => r.method !== "GET").length,
    byCall,
    ms,
  };
}

function printTable(rows: Row[]): void {
  const header = ["operation", "API calls", "mutating", "time (ms)", "calls"];
  const lines = rows.map((r) => [
    r.operation,
    String(r.total),
    String(r.mutating),
    r.ms.toFixed(0),
    Object.entries(r.byCall)
      .map(([k, n]) => `${k}×${n}`)
      .join(", "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(" | ");
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  const fake = await startFakeFlyApi({ orgs: ["launchpad"] });
  process.env.FLY_API_TOKEN = fake.token;
  process.env.FLY_API_BASE_URL = fake.url;
  process.env.FLY_POLL_INTERVAL_MS ??= "10";
  try {
    const rows: Row[] = [];
    const env = { NODE_ENV: "production", PORT: "3000" };
    let app!: Awaited<ReturnType<typeof flyAppProvider.create>>;
    let secrets!: Awaited<ReturnType<typeof flySecretsProvider.create>>;
    const machines: Awaited<ReturnType<typeof flyMachineProvider.create>>[] = [];

    rows.push(
      await measure(fake, "create app + secrets + 2 machines", async () => {
        app = await flyAppProvider.create({ name: APP, org: "launchpad" });
        secrets = await flySecretsProvider.create({
          app: APP,
          values: { DATABASE_URL: "postgres://bench", JWT_SECRET: "x".repeat(48) },
        });
        const v = secrets.outs!.version;
        machines.push(await flyMachineProvider.create(machine("web-1", v, env)));
        machines.push(await flyMachineProvider.create(machine("web-2", v, env)));
      }),
    );

    rows.push(
      await measure(fake, "update one env var (1 machine)", async () => {
        const [m] = machines;
        const news = machine("web-1", secrets.outs!.version, { ...env, LOG_LEVEL: "debug" });
        machines[0] = { id: m.id, outs: (await flyMachineProvider.update!(m.id, m.outs!, news)).outs };
      }),
    );

    const refresh = await measure(fake, "no-op refresh (4 resources)", async () => {
      await flyAppProvider.read!(app.id, app.outs);
      await flySecretsProvider.read!(secrets.id, secrets.outs);
      for (const m of machines) await flyMachineProvider.read!(m.id, m.outs);
    });
    rows.push(refresh);

    printTable(rows);
    if (refresh.mutating !== 0) {
      console.error(`FAIL: the no-op refresh made ${refresh.mutating} mutating call(s)`);
      process.exitCode = 1;
    }
  } finally {
    await fake.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
