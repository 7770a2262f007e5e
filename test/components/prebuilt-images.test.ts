import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { FLY_TOKEN_SECRET, readLayeredConfig, requiredSecrets, validatePlatform } from "../../infra/config";
import { flyAppName } from "../../infra/naming";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { configIssues, copyProject } from "../support/config-fixtures";
import { ofType, platformOf } from "./support";

const DOCKER_IMAGE = "docker:index/image:Image";
const MACHINE = "pulumi-nodejs:dynamic/fly:Machine";
const STACK = "prod";

/** Every enabled service of the catalog that builds a Dockerfile in this stack, as [app, service]. */
function builtServices(): Array<[string, string]> {
  return Object.entries(platformOf(STACK).apps).flatMap(([app, spec]) =>
    Object.entries(spec.services)
      .filter(([, s]) => s.enabled && !("image" in s.build))
      .map(([service]) => [app, service] as [string, string]),
  );
}

/** What the app's CI would have pushed: the service's Fly repository, by digest. */
function pushedImage(app: string, service: string): string {
  const name = flyAppName(app, service, platformOf(STACK).environment);
  return `registry.fly.io/${name}@sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`;
}

/** A copy of the project whose prod stack file gives every built service a prebuilt image. */
function withPrebuiltImages(image: (app: string, service: string) => string): string {
  const dir = copyProject();
  const file = path.join(dir, `Pulumi.${STACK}.yaml`);
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const overrides = (doc.config["launchpad:overrides"] ??= {}) as Record<string, Record<string, unknown>>;
  for (const [app, service] of builtServices()) {
    const appOverrides = (overrides[app] ??= {});
    const services = (appOverrides["services"] ??= {}) as Record<string, unknown>;
    services[service] = { ...(services[service] as object | undefined), image: image(app, service) };
  }
  fs.writeFileSync(file, YAML.stringify(doc));
  return dir;
}

describe("prebuilt images per stack (services.<name>.image under the stack's overrides)", () => {
  let plan: StackEvaluation;
  let dir: string;
  beforeAll(async () => {
    expect(builtServices().length).toBeGreaterThan(0);
    dir = withPrebuiltImages(pushedImage);
    plan = await evaluateStack(STACK, { projectDir: dir });
  });

  it("builds nothing: no Docker image, so no checkout of any app and no Docker daemon", () => {
    expect(ofType(plan, DOCKER_IMAGE)).toEqual([]);
  });

  it("runs exactly the pushed image on every machine of each service", () => {
    for (const [app, service] of builtServices()) {
      const machines = ofType(plan, MACHINE).filter((m) =>
        m.name.startsWith(`${app}-backend-${service}-machine-`),
      );
      expect(machines.length).toBeGreaterThan(0);
      for (const m of machines) expect(m.inputs["image"]).toBe(pushedImage(app, service));
    }
  });

  it("no longer needs the Fly token as a registry password", () => {
    const platform = validatePlatform(STACK, readLayeredConfig(STACK, dir));
    for (const [app] of builtServices()) {
      expect(requiredSecrets(platform.apps[app]!).get(FLY_TOKEN_SECRET) ?? []).not.toContain("backend");
    }
    // Without the overrides, the same apps need it.
    for (const [app] of builtServices()) {
      expect(requiredSecrets(platformOf(STACK).apps[app]!).get(FLY_TOKEN_SECRET)).toContain("backend");
    }
  });

  it("refuses a reference without a tag or digest, or not a reference at all, naming the key", () => {
    const [app, service] = builtServices()[0]!;
    for (const bad of ["registry.fly.io/some-app", "Registry/UPPER:tag", "not a reference"]) {
      const badDir = withPrebuiltImages(() => bad);
      const issues = configIssues(STACK, readLayeredConfig(STACK, badDir));
      expect(issues).toContainEqual(
        expect.objectContaining({
          file: `Pulumi.${STACK}.yaml`,
          key: `launchpad:overrides.${app}.services.${service}.image`,
        }),
      );
    }
  });
});
