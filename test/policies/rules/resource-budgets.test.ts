import { describe, expect, it } from "vitest";
import { FLY } from "../../../policies/rules/lib/types";
import {
  appComponent,
  expectCompliant,
  expectViolation,
  projectWithCatalog,
  resource,
  violationsOf,
  withInput,
} from "../support";

const RULE = "resource-budgets";
const S = "prod";

const mapquiz = appComponent(S, "mapquiz");
const monaSpark = appComponent(S, "mona-spark");
const api = resource(
  S,
  FLY.machine,
  "mapquiz-backend-api-machine-1",
  {
    app: "mapquiz-api-prod",
    name: "api-1",
    guest: { cpus: 1, memoryMb: 512 },
    healthGraceSeconds: 30,
    metadata: { launchpad_app: "mapquiz", launchpad_service: "api" },
    services: [
      { internalPort: 3000, checks: [{ type: "http", port: 3000, path: "/health", gracePeriod: "30s" }] },
    ],
  },
  { parent: mapquiz },
);
const media = resource(
  S,
  FLY.machine,
  "mona-spark-backend-media-processor-machine-1",
  { app: "mona-spark-media-processor-prod", name: "media-processor-1", guest: { cpus: 1, memoryMb: 1024 } },
  { parent: monaSpark },
);

describe(RULE, () => {
  it("passes the seed budgets: mapquiz at 512 MB, healthy within 30 s", async () => {
    await expectCompliant(RULE, [mapquiz, monaSpark, api, media]);
  });

  it("reports memory above the service's maxMemoryMb", async () => {
    const bad = withInput(api, ["guest", "memoryMb"], 1024);
    await expectViolation(
      RULE,
      [mapquiz, bad],
      bad.urn,
      /api: 1024 MB of memory, above its budget of 512 MB/,
    );
  });

  it("reports a deploy waiting longer for health than the budget", async () => {
    const bad = withInput(api, ["healthGraceSeconds"], 90);
    await expectViolation(
      RULE,
      [mapquiz, bad],
      bad.urn,
      /api: a deploy waits 90s for health, above its budget of 30s/,
    );
  });

  it("reports a check with a longer grace period than the budget", async () => {
    const bad = withInput(api, ["services", 0, "checks", 0, "gracePeriod"], "2m");
    await expectViolation(
      RULE,
      [mapquiz, bad],
      bad.urn,
      /services\[0\]\.checks\[0\] has a 2m grace period, above 30s/,
    );
  });

  it("reads the budget from the catalog, not from the app's name", async () => {
    const dir = projectWithCatalog([
      [["mona-spark", "services", "media-processor", "memoryMb"], 512],
      [["mona-spark", "services", "media-processor", "maxMemoryMb"], 768],
    ]);
    expect(await violationsOf(RULE, S, [monaSpark, media], { projectDir: dir })).toEqual([
      {
        enforcement: "mandatory",
        urn: media.urn,
        message: "media-processor: 1024 MB of memory, above its budget of 768 MB",
      },
    ]);
  });
});
