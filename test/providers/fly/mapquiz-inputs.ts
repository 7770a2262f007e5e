/** Inputs shaped like the mapquiz backend (seed 003): Fastify on port 3000 in cdg, /health. */

import type { FlyMachineInputs } from "../../../infra/providers/fly";

export const APP = "mapquiz-api-dev";
export const IMAGE_V1 = "registry.fly.io/mapquiz-api-dev@sha256:" + "1".repeat(64);
export const IMAGE_V2 = "registry.fly.io/mapquiz-api-dev@sha256:" + "2".repeat(64);

export function machineInputs(overrides: Partial<FlyMachineInputs> = {}): FlyMachineInputs {
  return {
    app: APP,
    name: "web-1",
    region: "cdg",
    image: IMAGE_V1,
    guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
    env: { NODE_ENV: "production", PORT: "3000", ALLOWED_ORIGINS: "https://mapquiz.example.com" },
    services: [
      {
        internalPort: 3000,
        forceHttps: true,
        autostop: "stop",
        autostart: true,
        minMachinesRunning: 1,
        checks: [
          { type: "http", port: 3000, path: "/health", interval: "15s", timeout: "5s", gracePeriod: "30s" },
        ],
      },
    ],
    checks: { health: { type: "http", port: 3000, path: "/health", interval: "15s", timeout: "5s" } },
    restart: { policy: "on-failure", maxRetries: 5 },
    healthGraceSeconds: 1,
    healthWaitSeconds: 1,
    ...overrides,
  };
}
