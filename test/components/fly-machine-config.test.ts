import { describe, expect, it } from "vitest";
import {
  environmentSchema,
  resolveService,
  serviceSchema,
  type AppSpec,
  type EnvironmentProfile,
  type ResolvedServiceSpec,
} from "../../infra/config";
import {
  guestFor,
  imageSource,
  machineNetworking,
  passwordUrlNames,
  plainEnv,
  primaryService,
  privateUrl,
  registryImageName,
  secretNames,
  volumeName,
  withPassword,
} from "../../infra/components/fly-machine-config";
import { flyAppName, serviceHostname } from "../../infra/naming";

const dev: EnvironmentProfile = environmentSchema.parse({
  name: "dev",
  branches: ["feature/*"],
  baseDomain: "dev.example.app",
  policyEnforcement: "advisory",
  alerting: { probes: ["Paris"] },
});
const prod: EnvironmentProfile = { ...dev, name: "prod", useAppDomains: true };

/** A catalog service as the loader hands it over: parsed, then resolved against the profile. */
function service(raw: Record<string, unknown>, env: EnvironmentProfile = dev): ResolvedServiceSpec {
  return resolveService(serviceSchema.parse(raw), env);
}

const ctx = {
  allowedOrigins: ["https://shop.example.app", "https://www.example.app"],
  privateUrlOf: (name: string) => `redis://app-${name}-dev.internal:6379`,
  requiresPassword: () => false,
};

describe("image source", () => {
  it("resolves a Dockerfile build against the app's checkout, both paths from the repository root", () => {
    expect(
      imageSource({ build: { dockerfile: "backend/Dockerfile", context: "backend" } }, "../repo"),
    ).toEqual({
      kind: "build",
      context: "../repo/backend",
      dockerfile: "../repo/backend/Dockerfile",
    });
    expect(imageSource({ build: { dockerfile: "Dockerfile", context: "." } }, "../repo")).toEqual({
      kind: "build",
      context: "../repo",
      dockerfile: "../repo/Dockerfile",
    });
  });

  it("runs a prebuilt image (the app's CI pushed it) instead of building, whatever the build says", () => {
    const image = "registry.fly.io/mapquiz-api-prod@sha256:" + "a".repeat(64);
    expect(imageSource({ build: { dockerfile: "Dockerfile", context: "." }, image }, "../repo")).toEqual({
      kind: "published",
      image,
    });
  });

  it("keeps a published image as written", () => {
    expect(imageSource({ build: { image: "redis:7.4-alpine" } }, "../repo")).toEqual({
      kind: "published",
      image: "redis:7.4-alpine",
    });
  });

  it("names pushed images on Fly's registry, in the service's own repository", () => {
    expect(registryImageName("mapquiz-api-prod", "prod")).toBe("registry.fly.io/mapquiz-api-prod:prod");
  });
});

describe("names and hostnames", () => {
  const spec = { domain: "mona-spark.app" } as AppSpec;
  const mapquiz = { domain: "api.mapquiz.app" } as AppSpec;

  it("gives every service its own Fly app carrying app, service and environment", () => {
    expect(flyAppName("mona-spark", "redis", prod)).toBe("mona-spark-redis-prod");
  });

  it("serves a public service on the `<service>.` subdomain of the site, per environment", () => {
    expect(serviceHostname("mona-spark", "api", spec, prod)).toBe("api.mona-spark.app");
    expect(serviceHostname("mona-spark", "api", spec, dev)).toBe("api.mona-spark.dev.example.app");
  });

  it("keeps an app domain that already names the service", () => {
    expect(serviceHostname("mapquiz", "api", mapquiz, prod)).toBe("api.mapquiz.app");
    expect(serviceHostname("mapquiz", "api", mapquiz, dev)).toBe("api.mapquiz.dev.example.app");
  });

  it("names volumes as Fly accepts them", () => {
    expect(volumeName("redis")).toBe("redis_data");
    expect(volumeName("media-processor")).toBe("media_processor_data");
    expect(volumeName("a-very-long-service-name-indeed-yes")).toMatch(/^[a-z0-9_]{1,30}$/);
  });
});

describe("guest size", () => {
  it("takes the resolved memory and CPUs", () => {
    expect(guestFor(service({ kind: "web", port: 3000, memoryMb: 512 }))).toEqual({
      cpuKind: "shared",
      cpus: 1,
      memoryMb: 512,
    });
  });

  it("gives a GPU service Fly's size for its GPU, on performance CPUs, with Fly's name for the GPU", () => {
    const gpu = (model: string) =>
      guestFor(service({ kind: "worker", gpu: model, region: "ord", memoryMb: 1024, cpus: 2 }));
    expect(gpu("a10")).toEqual({ cpuKind: "performance", cpus: 8, memoryMb: 32768, gpuKind: "a10", gpus: 1 });
    expect(gpu("l40s").gpuKind).toBe("l40s");
    expect(gpu("a100-40gb").gpuKind).toBe("a100-pcie-40gb");
    expect(gpu("a100-80gb").gpuKind).toBe("a100-sxm4-80gb");
    expect(guestFor(service({ kind: "worker" }))).not.toHaveProperty("gpuKind");
  });

  it("switches to performance CPUs beyond 2 GB per shared CPU", () => {
    expect(guestFor(service({ kind: "worker", memoryMb: 16384 })).cpuKind).toBe("performance");
    expect(guestFor(service({ kind: "worker", memoryMb: 4096, cpus: 2 })).cpuKind).toBe("shared");
  });
});

describe("machine networking", () => {
  it("gives a public service one proxied service with force_https and its HTTP check", () => {
    const spec = service({
      kind: "web",
      port: 3000,
      healthCheck: { path: "/health", gracePeriodSeconds: 30 },
    });
    const net = machineNetworking(spec);
    expect(net.checks).toEqual({});
    expect(net.healthGraceSeconds).toBe(30);
    expect(net.services).toEqual([
      {
        internalPort: 3000,
        forceHttps: true,
        autostop: "off",
        autostart: true,
        checks: [
          { type: "http", port: 3000, path: "/health", interval: "15s", timeout: "5s", gracePeriod: "30s" },
        ],
      },
    ]);
  });

  it("checks a private service on its machine, over TCP when it has no health path", () => {
    const redis = machineNetworking(service({ kind: "worker", port: 6379, build: { image: "redis:7" } }));
    expect(redis.services).toEqual([]);
    expect(redis.checks).toEqual({ tcp: { type: "tcp", port: 6379, interval: "15s", timeout: "5s" } });

    const privateWeb = machineNetworking(service({ kind: "web", port: 8080, public: false }));
    expect(privateWeb.services).toEqual([]);
    expect(privateWeb.checks["http"]).toMatchObject({ type: "http", port: 8080, path: "/health" });
  });

  it("cannot probe a worker without a port", () => {
    expect(machineNetworking(service({ kind: "worker" }))).toEqual({
      services: [],
      checks: {},
      healthGraceSeconds: 30,
    });
  });
});

describe("private addresses", () => {
  it("uses the private network name and the service's port, with the scheme of its image", () => {
    expect(
      privateUrl(
        "mona-spark-redis-prod",
        service({ kind: "worker", port: 6379, build: { image: "redis:7.4-alpine" } }),
      ),
    ).toBe("redis://mona-spark-redis-prod.internal:6379");
    expect(
      privateUrl(
        "x-search-dev",
        service({ kind: "worker", port: 7700, build: { image: "getmeili/meilisearch:v1" } }),
      ),
    ).toBe("http://x-search-dev.internal:7700");
    expect(privateUrl("x-api-dev", service({ kind: "web", port: 8000, public: false }))).toBe(
      "http://x-api-dev.internal:8000",
    );
  });

  it("carries a password, percent-encoded, for a service that requires one", () => {
    expect(withPassword("redis://mona-spark-redis-prod.internal:6379", "s3cr3t")).toBe(
      "redis://:s3cr3t@mona-spark-redis-prod.internal:6379",
    );
    expect(withPassword("redis://r.internal:6379", "p@ss:w/rd#1")).toBe(
      "redis://:p%40ss%3Aw%2Frd%231@r.internal:6379",
    );
    expect(withPassword("http://x-api-dev.internal:8000", "pw")).toBe("http://:pw@x-api-dev.internal:8000");
  });

  it("refuses a service that listens on no port", () => {
    expect(() => privateUrl("x-worker-dev", service({ kind: "worker" }))).toThrow(/listens on no port/);
  });
});

describe("plain environment", () => {
  it("adds NODE_ENV and PORT for the app's own web code, the allow-list and the rate limit", () => {
    const spec = service({ kind: "web", port: 3001, rateLimitPerMinute: 300, env: { SMTP_PORT: "587" } });
    expect(plainEnv(spec, ctx)).toEqual({
      ALLOWED_ORIGINS: "https://shop.example.app,https://www.example.app",
      NODE_ENV: "production",
      PORT: "3001",
      RATE_LIMIT_PER_MINUTE: "300",
      SMTP_PORT: "587",
    });
  });

  it("lets the catalog set NODE_ENV and PORT, but never the allow-list", () => {
    const spec = service({
      kind: "web",
      port: 3000,
      env: { NODE_ENV: "staging", PORT: "8080", ALLOWED_ORIGINS: "*" },
    });
    const env = plainEnv(spec, ctx);
    expect(env).toMatchObject({ NODE_ENV: "staging", PORT: "8080" });
    expect(env["ALLOWED_ORIGINS"]).toBe("https://shop.example.app,https://www.example.app");
  });

  it("wires service addresses and leaves database URLs and secrets out", () => {
    const spec = service({
      kind: "web",
      port: 3001,
      env: {
        REDIS_URL: { from: "serviceUrl", service: "redis" },
        DATABASE_URL: { from: "databaseUrl" },
        JWT_SECRET: "oops-a-literal",
      },
      secrets: ["JWT_SECRET"],
    });
    const env = plainEnv(spec, ctx);
    expect(env["REDIS_URL"]).toBe("redis://app-redis-dev.internal:6379");
    expect(env).not.toHaveProperty("DATABASE_URL");
    expect(env).not.toHaveProperty("JWT_SECRET");
    expect(secretNames(spec)).toEqual(["DATABASE_URL", "JWT_SECRET"]);
  });

  it("keeps an address that carries a password out of the plain variables", () => {
    const spec = service({
      kind: "web",
      port: 3001,
      env: {
        REDIS_URL: { from: "serviceUrl", service: "redis" },
        SEARCH_URL: { from: "serviceUrl", service: "search" },
      },
    });
    const requiresPassword = (name: string) => name === "redis";
    const env = plainEnv(spec, { ...ctx, requiresPassword });
    expect(env).not.toHaveProperty("REDIS_URL");
    expect(env["SEARCH_URL"]).toBe("redis://app-search-dev.internal:6379");
    expect(passwordUrlNames(spec, requiresPassword)).toEqual([["REDIS_URL", "redis"]]);
  });

  it("gives a private published image no CORS, no NODE_ENV, no PORT", () => {
    const redis = service({ kind: "worker", port: 6379, build: { image: "redis:7.4-alpine" } });
    expect(plainEnv(redis, ctx)).toEqual({});
  });
});

describe("the service a frontend calls", () => {
  const all = (raw: Record<string, Record<string, unknown>>): Record<string, ResolvedServiceSpec> =>
    Object.fromEntries(Object.entries(raw).map(([name, s]) => [name, service(s)]));

  it("is the public `api` service, else the first public web service", () => {
    expect(primaryService(all({ web: { kind: "web", port: 1 }, api: { kind: "web", port: 2 } }))).toBe("api");
    expect(
      primaryService(all({ redis: { kind: "worker", port: 6379 }, web: { kind: "web", port: 1 } })),
    ).toBe("web");
  });

  it("is none when no enabled public web service exists", () => {
    expect(primaryService(all({ api: { kind: "web", port: 2, enabled: false } }))).toBeUndefined();
    expect(primaryService(all({ api: { kind: "web", port: 2, public: false } }))).toBeUndefined();
    expect(primaryService(all({ redis: { kind: "worker", port: 6379 } }))).toBeUndefined();
  });
});
