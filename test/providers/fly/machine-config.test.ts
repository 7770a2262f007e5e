import { describe, expect, it } from "vitest";
import { fromMachineConfig, toMachineConfig } from "../../../infra/providers/fly/machine-config";
import { exitCodeOf, splitCommand } from "../../../infra/providers/fly/release";
import { stableStringify } from "../../../infra/providers/fly/stable";
import { machineInputs } from "./mapquiz-inputs";

describe("machine config mapping", () => {
  it("round-trips through the API shape, so a refresh of an unchanged machine shows no change", () => {
    const specs = [
      machineInputs(),
      machineInputs({ services: [], checks: {}, restart: undefined, env: {}, metadata: { team: "maps" } }),
      machineInputs({
        services: [
          {
            internalPort: 6379,
            ports: [{ port: 6379, handlers: [] }],
            concurrency: { type: "connections", softLimit: 50, hardLimit: 100 },
          },
        ],
        mounts: [{ volume: "vol_1", path: "/data" }],
        processGroup: "worker",
        init: { cmd: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"'] },
      }),
    ];
    for (const spec of specs) {
      const config = toMachineConfig(spec, spec.name);
      expect(stableStringify(toMachineConfig({ ...spec, ...fromMachineConfig(config) }, spec.name))).toBe(
        stableStringify(config),
      );
    }
  });

  it("sends only the command overrides that are set, and ignores init settings Fly adds", () => {
    const cmd = ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"'];
    expect(toMachineConfig(machineInputs({ init: { cmd } }), "redis-1").init).toEqual({ cmd });
    expect(toMachineConfig(machineInputs({ init: { cmd: [], exec: [] } }), "web-1")).not.toHaveProperty(
      "init",
    );
    const live = { ...toMachineConfig(machineInputs({ init: { cmd } }), "redis-1") };
    live.init = { ...live.init, tty: false, swap_size_mb: 0 } as typeof live.init;
    expect(fromMachineConfig(live).init).toEqual({ cmd });
    expect(fromMachineConfig(toMachineConfig(machineInputs(), "web-1"))).not.toHaveProperty("init");
  });

  it("keeps launchpad's metadata keys out of reach of user metadata", () => {
    const config = toMachineConfig(
      machineInputs({ metadata: { fly_process_group: "evil", launchpad_name: "x" } }),
      "web-1",
    );
    expect(config.metadata).toMatchObject({ fly_process_group: "app", launchpad_name: "web-1" });
  });

  it("splits release commands and reads exit codes from exit events", () => {
    expect(splitCommand(`npx prisma migrate deploy`)).toEqual(["npx", "prisma", "migrate", "deploy"]);
    expect(splitCommand(`sh -c "echo hi && exit 1"`)).toEqual(["sh", "-c", "echo hi && exit 1"]);
    expect(
      exitCodeOf([
        { type: "exit", timestamp: 1, request: { exit_event: { exit_code: 0 } } },
        { type: "exit", timestamp: 2, request: { exit_event: { exit_code: 3 } } },
        { type: "start", timestamp: 3 },
      ]),
    ).toBe(3);
    expect(exitCodeOf([])).toBeUndefined();
  });
});
