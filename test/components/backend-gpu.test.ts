import { beforeAll, describe, expect, it } from "vitest";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { copyProject, editFile } from "../support/config-fixtures";
import { childrenOf, ofType } from "./support";

const FLY = {
  app: "pulumi-nodejs:dynamic/fly:App",
  machine: "pulumi-nodejs:dynamic/fly:Machine",
  volume: "pulumi-nodejs:dynamic/fly:Volume",
  ip: "pulumi-nodejs:dynamic/fly:IpAssignment",
  certificate: "pulumi-nodejs:dynamic/fly:Certificate",
} as const;

const DEV_OVERRIDE = `    workspace-analytics:
      database: { supabaseUrl: "https://wsanalyticsdevxxxxxx.supabase.co" }
`;

/** A copy of the project whose dev stack enables Ollama through its overrides, with `extra` settings. */
function devWithOllama(extra = ""): string {
  const dir = copyProject();
  editFile(
    dir,
    "Pulumi.dev.yaml",
    DEV_OVERRIDE,
    `${DEV_OVERRIDE}      services: { ollama: { enabled: true${extra} } }\n`,
  );
  return dir;
}

describe("workspace-analytics' Ollama enabled by a stack override", () => {
  const prefix = "workspace-analytics-backend-ollama";
  let plan: StackEvaluation;
  beforeAll(async () => {
    plan = await evaluateStack("dev", { projectDir: devWithOllama() });
  });

  it("runs one private a10 machine in ord, on Fly's a10 size, checked on its port", () => {
    const flyApp = ofType(plan, FLY.app).find((r) => r.name === `${prefix}-app`);
    expect(flyApp?.inputs["name"]).toBe("workspace-analytics-ollama-dev");
    const machines = ofType(plan, FLY.machine).filter((r) => r.name.startsWith(`${prefix}-machine-`));
    expect(machines).toHaveLength(1);
    expect(machines[0]!.inputs).toMatchObject({
      app: "workspace-analytics-ollama-dev",
      region: "ord",
      image: "ollama/ollama:0.5.7",
      guest: { cpuKind: "performance", cpus: 8, memoryMb: 32768, gpuKind: "a10", gpus: 1 },
      services: [],
      checks: { tcp: { type: "tcp", port: 11434 } },
    });
  });

  it("keeps its models on a volume in its region, on a host with the GPU, mounted by the machine", () => {
    const volumes = ofType(plan, FLY.volume).filter((r) => r.name.startsWith(prefix));
    expect(volumes.map((v) => v.inputs)).toEqual([
      expect.objectContaining({
        name: "ollama_data",
        region: "ord",
        sizeGb: 50,
        compute: expect.objectContaining({ gpuKind: "a10" }),
      }),
    ]);
    const machine = ofType(plan, FLY.machine).find((r) => r.name === `${prefix}-machine-1`)!;
    expect(machine.inputs["mounts"]).toEqual([{ volume: expect.any(String), path: "/root/.ollama" }]);
  });

  it("has no public IP and no certificate: the API reaches it on the private network only", () => {
    const backend = plan.resources.find((r) => r.name === "workspace-analytics-backend")!;
    const own = childrenOf(plan, backend).filter((r) => r.name.startsWith(prefix));
    expect(own.map((r) => r.type).sort()).toEqual([FLY.app, FLY.machine, FLY.volume].sort());
    expect(ofType(plan, FLY.ip).filter((r) => r.name.startsWith(prefix))).toEqual([]);
    expect(ofType(plan, FLY.certificate).filter((r) => r.name.startsWith(prefix))).toEqual([]);
  });
});

describe("a GPU service where Fly has no such GPU", () => {
  it("is refused with the key path to change and the regions that work, before anything is declared", async () => {
    await expect(evaluateStack("dev", { projectDir: devWithOllama(", region: cdg") })).rejects.toThrow(
      /launchpad:overrides\.workspace-analytics\.services\.ollama\.region: Fly offers a10 GPUs only in ord; got "cdg"/,
    );
  });
});
