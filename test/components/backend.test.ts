import { beforeAll, describe, expect, it } from "vitest";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import { STAND_IN_MARKER } from "../../tools/engine/secret-stand-ins";
import type { RecordedResource, StackEvaluation } from "../../tools/engine/types";
import { copyProject, editFile } from "../support/config-fixtures";
import { at, childrenOf, evaluateAll, ofType, one, platformOf, STACKS, T, type Stack } from "./support";

const B = {
  backend: "launchpad:fly:Backend",
  flyApp: "pulumi-nodejs:dynamic/fly:App",
  machine: "pulumi-nodejs:dynamic/fly:Machine",
  secrets: "pulumi-nodejs:dynamic/fly:Secrets",
  volume: "pulumi-nodejs:dynamic/fly:Volume",
  ip: "pulumi-nodejs:dynamic/fly:IpAssignment",
  certificate: "pulumi-nodejs:dynamic/fly:Certificate",
  image: "docker:index/image:Image",
  database: "launchpad:postgres:Database",
} as const;

/** The hostname each stack serves an app's site on (the API is on its `api.` subdomain). */
const SITE: Record<Stack, (app: string) => string> = {
  dev: (app) => `${app}.dev.launchpad-fleet.app`,
  qa: (app) => `${app}.qa.launchpad-fleet.app`,
  prod: (app) => ({ "mona-spark": "mona-spark.app", "workspace-analytics": "workspace-analytics.app" })[app]!,
};
const API_HOST: Record<Stack, (app: string) => string> = {
  dev: (app) => `api.${SITE.dev(app)}`,
  qa: (app) => `api.${SITE.qa(app)}`,
  prod: (app) => (app === "mapquiz" ? "api.mapquiz.app" : `api.${SITE.prod(app)}`),
};

let stacks: Record<Stack, StackEvaluation>;
beforeAll(async () => {
  stacks = await evaluateAll();
});

function machines(stack: Stack, prefix: string): RecordedResource[] {
  return ofType(stacks[stack], B.machine)
    .filter((r) => r.name.startsWith(`${prefix}-machine-`))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function env(machine: RecordedResource): Record<string, string> {
  return machine.inputs["env"] as Record<string, string>;
}

describe.each(STACKS)("backends in %s", (stack) => {
  const platform = platformOf(stack);
  const replicas = platform.environment.defaults.replicas;

  it("declares a Backend, child of its App, only for the apps with enabled services", () => {
    const backends = ofType(stacks[stack], B.backend);
    const withServices = Object.entries(platform.apps)
      .filter(([, spec]) => Object.values(spec.services).some((s) => s.enabled))
      .map(([app]) => `${app}-backend`);
    expect(withServices.length).toBeGreaterThan(0);
    expect(backends.map((r) => r.name).sort()).toEqual(withServices.sort());
    // workspace-analytics keeps its backend for its API while its Ollama is disabled; sheet2scene has none.
    expect(backends.map((r) => r.name)).toContain("workspace-analytics-backend");
    expect(backends.map((r) => r.name)).not.toContain("sheet2scene-backend");
    for (const backend of backends) {
      const app = backend.name.replace(/-backend$/, "");
      expect(backend.parent).toBe(one(stacks[stack], T.app, app).urn);
      const children = childrenOf(stacks[stack], backend);
      expect(children.length).toBeGreaterThan(0);
      expect(children.every((c) => c.name.startsWith(`${backend.name}-`))).toBe(true);
    }
  });

  it("gives every enabled service its own Fly app: the one the catalog names, else after app, service and environment", () => {
    const names = ofType(stacks[stack], B.flyApp).map((r) => r.inputs["name"]);
    const expected = Object.entries(platform.apps).flatMap(([app, spec]) =>
      Object.entries(spec.services)
        .filter(([, service]) => service.enabled)
        .map(([service, declared]) => declared.flyApp ?? `${app}-${service}-${stack}`),
    );
    expect(names.sort()).toEqual(expected.sort());
    for (const r of ofType(stacks[stack], B.flyApp)) {
      expect(r.inputs["org"]).toBe("personal");
      expect(r.protect).toBe(platform.environment.protectData);
    }
  });

  it("declares nothing for a disabled service (workspace-analytics' Ollama)", () => {
    expect(platform.apps["workspace-analytics"]!.services["ollama"]!.enabled).toBe(false);
    expect(stacks[stack].resources.filter((r) => r.name.includes("ollama"))).toEqual([]);
  });

  describe("mapquiz (seed 003)", () => {
    const prefix = "mapquiz-backend-api";
    // Its Fly app: the one the stack takes over (prod's running app), else its own.
    const flyApp = platform.apps["mapquiz"]!.services["api"]!.flyApp ?? `mapquiz-api-${stack}`;

    it("runs its API on port 3000 in cdg with 512 MB, /health within 30 s, one machine per replica", () => {
      const all = machines(stack, prefix);
      expect(all).toHaveLength(replicas);
      for (const m of all) {
        expect(m.inputs).toMatchObject({
          app: flyApp,
          region: "cdg",
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
          healthGraceSeconds: 30,
        });
        expect(at(m.inputs, "services", 0)).toMatchObject({
          internalPort: 3000,
          forceHttps: true,
          checks: [{ type: "http", port: 3000, path: "/health", gracePeriod: "30s" }],
        });
        expect(env(m)).toMatchObject({ NODE_ENV: "production", PORT: "3000" });
      }
    });

    it("runs `prisma migrate deploy` once, on the first machine; the others wait for it", () => {
      const [first, ...others] = machines(stack, prefix);
      expect(first!.inputs["releaseCommand"]).toBe("npx prisma migrate deploy");
      for (const m of others) {
        expect(m.inputs["releaseCommand"]).toBeUndefined();
        expect(m.dependsOn).toContain(first!.urn);
      }
    });

    it("gives the release command the migrator's connection string, as a secret, and no machine the runtime's", () => {
      const [first, ...others] = machines(stack, prefix);
      expect(first!.inputs["releaseEnv"]).toBe("[secret]");
      expect(first!.secretInputs).toEqual(["releaseEnv"]);
      // From the migrator role's password, the role that owns the schema; never the runtime role's.
      const migrator = one(
        stacks[stack],
        "random:index/randomPassword:RandomPassword",
        "mapquiz-database-migrator-password",
      );
      expect(first!.propertyDependencies["releaseEnv"]).toEqual([migrator.urn]);
      for (const m of others) expect(m.inputs).not.toHaveProperty("releaseEnv");
      // Only a service with a release command gets one.
      for (const m of ofType(stacks[stack], B.machine).filter(
        (m) => m.inputs["releaseCommand"] === undefined,
      ))
        expect(m.inputs).not.toHaveProperty("releaseEnv");
    });

    it("builds its Dockerfile for Fly, pushes it with the Fly token as a secret, and runs it by digest", () => {
      const image = one(stacks[stack], B.image, `${prefix}-image`);
      expect(image.inputs).toMatchObject({
        imageName: `registry.fly.io/${flyApp}:${stack}`,
        build: {
          context: "../mapquiz-backend",
          dockerfile: "../mapquiz-backend/Dockerfile",
          platform: "linux/amd64",
        },
        registry: { server: "registry.fly.io", password: "[secret]" },
      });
      expect(image.secretInputs).toEqual(["registry.password"]);
      for (const m of machines(stack, prefix)) {
        expect(m.inputs["image"]).toMatch(new RegExp(`^registry\\.fly\\.io/${flyApp}@sha256:[0-9a-f]{64}$`));
        expect(m.propertyDependencies["image"]).toEqual([image.urn]);
      }
    });

    it("receives its secrets and the database's runtime URL as Fly secrets the machines wait for", () => {
      const secrets = one(stacks[stack], B.secrets, `${prefix}-secrets`);
      expect(secrets.secretInputs).toEqual(["values"]);
      const database = one(stacks[stack], B.database, "mapquiz-database");
      const fromDatabase = secrets.propertyDependencies["values"] ?? [];
      expect(fromDatabase.length).toBeGreaterThan(0);
      expect(fromDatabase.every((urn) => urn.includes("launchpad:postgres:Database$"))).toBe(true);
      expect(childrenOf(stacks[stack], database).map((c) => c.urn)).toEqual(
        expect.arrayContaining(fromDatabase),
      );
      for (const m of machines(stack, prefix)) {
        expect(m.propertyDependencies["minSecretsVersion"]).toEqual([secrets.urn]);
        expect(Object.keys(env(m))).not.toContain("DATABASE_URL");
        expect(Object.keys(env(m))).not.toContain("BETTER_AUTH_SECRET");
      }
    });

    it("answers on its own API domain with shared IPv4, IPv6 and a certificate", () => {
      expect(one(stacks[stack], B.certificate, `${prefix}-certificate`).inputs).toMatchObject({
        app: flyApp,
        hostname: API_HOST[stack]("mapquiz"),
      });
      expect(one(stacks[stack], B.ip, `${prefix}-ip-v4`).inputs["type"]).toBe("shared_v4");
      expect(one(stacks[stack], B.ip, `${prefix}-ip-v6`).inputs["type"]).toBe("v6");
    });
  });

  describe("mona-spark (seed 004)", () => {
    it("runs its API on port 3001 with CORS from the allow-list and a rate limit", () => {
      for (const m of machines(stack, "mona-spark-backend-api")) {
        expect(at(m.inputs, "services", 0, "internalPort")).toBe(3001);
        expect(env(m)).toMatchObject({
          ALLOWED_ORIGINS: `https://${SITE[stack]("mona-spark")}`,
          RATE_LIMIT_PER_MINUTE: "300",
          SMTP_HOST: "smtp.gmail.com",
          NODE_ENV: "production",
        });
      }
    });

    it("keeps Redis private: one machine on an encrypted volume, a TCP check, no IP, no certificate", () => {
      const prefix = "mona-spark-backend-redis";
      const [redis, ...more] = machines(stack, prefix);
      expect(more).toEqual([]);
      expect(redis!.inputs).toMatchObject({
        image: "redis:7.4-alpine",
        services: [],
        checks: { tcp: { type: "tcp", port: 6379 } },
        mounts: [{ path: "/data" }],
      });
      expect(env(redis!)).toEqual({});
      // Redis enforces its password, read from the machine's environment when it starts: never in the config.
      const cmd = at(redis!.inputs, "init", "cmd") as string[];
      expect(cmd.slice(0, 2)).toEqual(["sh", "-c"]);
      expect(cmd[2]).toContain('redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes --dir /data');
      expect(JSON.stringify(redis!.inputs)).not.toContain(STAND_IN_MARKER);
      expect(one(stacks[stack], B.secrets, `${prefix}-secrets`).secretInputs).toEqual(["values"]);
      const volume = one(stacks[stack], B.volume, `${prefix}-volume-1`);
      expect(volume.inputs).toMatchObject({ app: `mona-spark-redis-${stack}`, region: "cdg", sizeGb: 1 });
      expect(redis!.propertyDependencies["mounts"]).toEqual([volume.urn]);
      expect(at(redis!.inputs, "mounts", 0, "volume")).toMatch(/^vol_/);
      // Published images are pulled as they are: nothing is built or pushed for Redis.
      expect(ofType(stacks[stack], B.image).filter((r) => r.name.startsWith(prefix))).toEqual([]);
    });

    it("wires REDIS_URL with Redis' password into the API as a Fly secret, never as a plain variable", () => {
      const secrets = one(stacks[stack], B.secrets, "mona-spark-backend-api-secrets");
      expect(secrets.secretInputs).toEqual(["values"]);
      for (const m of machines(stack, "mona-spark-backend-api")) {
        expect(env(m)).not.toHaveProperty("REDIS_URL");
        expect(m.propertyDependencies["minSecretsVersion"]).toEqual([secrets.urn]);
      }
    });

    it("protects and retains volumes exactly where the profile protects data", () => {
      for (const volume of ofType(stacks[stack], B.volume)) {
        expect(volume.protect).toBe(platform.environment.protectData);
        expect(volume.retainOnDelete).toBe(platform.environment.protectData);
      }
    });
  });

  it("gives IPs and certificates to public services only", () => {
    const publicApps = Object.entries(platform.apps)
      .flatMap(([app, spec]) =>
        Object.entries(spec.services)
          .filter(([, s]) => s.enabled && s.public)
          .map(([service, s]) => s.flyApp ?? `${app}-${service}-${stack}`),
      )
      .sort();
    const withIp = ofType(stacks[stack], B.ip).map((r) => r.inputs["app"]);
    expect([...new Set(withIp)].sort()).toEqual(publicApps);
    expect(withIp).toHaveLength(publicApps.length * 2);
    const withCertificate = ofType(stacks[stack], B.certificate).map((r) => r.inputs["app"]);
    expect(withCertificate.sort()).toEqual(publicApps);
    for (const m of ofType(stacks[stack], B.machine)) {
      const isPublic = publicApps.includes(m.inputs["app"] as string);
      expect((m.inputs["services"] as unknown[]).length).toBe(isPublic ? 1 : 0);
      expect(Object.keys(env(m)).includes("ALLOWED_ORIGINS")).toBe(isPublic);
    }
  });

  it("never allows every origin, and sets workspace-analytics' allow-list and 100/min limit", () => {
    for (const m of ofType(stacks[stack], B.machine))
      expect(env(m)["ALLOWED_ORIGINS"] ?? "").not.toContain("*");
    for (const m of machines(stack, "workspace-analytics-backend-api")) {
      expect(at(m.inputs, "services", 0, "internalPort")).toBe(8000);
      expect(env(m)["ALLOWED_ORIGINS"]!.split(",")).toEqual([
        `https://${SITE[stack]("workspace-analytics")}`,
        "https://www.workspace-analytics.app",
      ]);
      expect(env(m)).toMatchObject({ RATE_LIMIT_PER_MINUTE: "100", LOG_LEVEL: "INFO" });
    }
  });

  it("wires each frontend's NEXT_PUBLIC_API_URL to its backend's public URL", () => {
    for (const app of ["mona-spark", "workspace-analytics"]) {
      const certificate = one(stacks[stack], B.certificate, `${app}-backend-api-certificate`);
      expect(certificate.inputs["hostname"]).toBe(API_HOST[stack](app));
      const variables = one(stacks[stack], T.publicEnv, `${app}-frontend-public-env`).inputs[
        "variables"
      ] as Array<Record<string, unknown>>;
      expect(variables.find((v) => v["key"] === "NEXT_PUBLIC_API_URL")?.["value"]).toBe(
        `https://${API_HOST[stack](app)}`,
      );
    }
  });

  it("exports each API's public URL with the app's stack outputs", () => {
    const apps = stacks[stack].outputs["apps"] as Record<string, Record<string, unknown>>;
    for (const app of ["mapquiz", "mona-spark", "workspace-analytics"]) {
      expect(apps[app]!["apiUrl"]).toBe(`https://${API_HOST[stack](app)}`);
    }
    expect(apps["sheet2scene"]).not.toHaveProperty("apiUrl");
  });

  it("keeps every secret value out of plain inputs (the Fly token included)", () => {
    const fly = stacks[stack].resources.filter(
      (r) => r.type.startsWith("pulumi-nodejs:dynamic/fly:") || r.type === B.image,
    );
    const plain = JSON.stringify(fly.map((r) => r.inputs));
    expect(plain).not.toContain(STAND_IN_MARKER);
    expect(plain).not.toMatch(/fly-api-token/i);
    expect(plain).not.toContain("postgresql://");
    for (const r of ofType(stacks[stack], B.secrets)) expect(r.secretInputs).toEqual(["values"]);
  });
});

describe("a stack with edited services", () => {
  it("refuses a password secret the service itself does not receive, naming the key", async () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      "            secrets: [REDIS_PASSWORD]\n            # Clients must authenticate",
      "            secrets: []\n            # Clients must authenticate",
    );
    await expect(evaluateStack("dev", { projectDir: dir })).rejects.toThrow(
      /apps\.mona-spark\.services\.redis\.passwordSecret.*must also be in the service's secrets/s,
    );
  });

  it("declares no backend for an app whose every service is disabled", async () => {
    const dir = copyProject();
    editFile(
      dir,
      "Pulumi.yaml",
      "            releaseCommand: npx prisma migrate deploy\n",
      "            releaseCommand: npx prisma migrate deploy\n            enabled: false\n",
    );
    const evaluation = await evaluateStack("dev", { projectDir: dir });
    expect(evaluation.resources.filter((r) => r.name.startsWith("mapquiz-backend"))).toEqual([]);
    expect(ofType(evaluation, B.flyApp).map((r) => r.inputs["name"])).not.toContain("mapquiz-api-dev");
    // The rest of the app is still declared.
    expect(one(evaluation, T.app, "mapquiz").name).toBe("mapquiz");
  });
});
