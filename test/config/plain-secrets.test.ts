import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parsePlatformConfig,
  readLayeredConfig,
  requiredSecrets,
  validatePlatform,
  type LayeredConfig,
} from "../../infra/config";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { appsOf, copyProject } from "../support/config-fixtures";
import { completeConfig, problems } from "./support";

const PLAIN = "pl41n-t3xt-v4lue";

/** The first app of the catalog and the first secret it needs. */
function firstSecret(stack: string): { app: string; name: string } {
  const platform = validatePlatform(stack, readLayeredConfig(stack));
  const [app, spec] = Object.entries(platform.apps)[0]!;
  return { app, name: [...requiredSecrets(spec).keys()][0]! };
}

/** A copy of the project whose stack file holds `secrets` under launchpad:secrets, verbatim. */
function stackWithSecrets(stack: string, lines: string[]): string {
  const dir = copyProject();
  fs.appendFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `  launchpad:secrets:\n${lines.join("\n")}\n`);
  return dir;
}

function issuesOf(stack: string, config: LayeredConfig, plainSecrets?: "refuse" | "declare") {
  try {
    parsePlatformConfig(stack, config, { plainSecrets });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

describe("a secret value stored in plain text", () => {
  it.each(["dev", "qa", "prod"])(
    "%s: is refused by its key, among encrypted ones, without echoing it",
    (stack) => {
      const { app, name } = firstSecret(stack);
      const dir = stackWithSecrets(stack, [
        `    ${app}:`,
        `      ${name}: ${PLAIN}`,
        `      OTHER_SECRET:`,
        `        secure: v1:AAAABBBBCCCC`,
      ]);
      const config = readLayeredConfig(stack, dir);
      // The key holds a secure: value, so Pulumi marks it secret as a whole: the file tells value by value.
      expect(config.secretKeys).toContain("launchpad:secrets");
      expect(config.plainSecrets).toEqual([`launchpad:secrets.${app}.${name}`]);
      const issues = issuesOf(stack, withSecretStandIns(config, validatePlatform(stack, config)));
      const plain = issues.filter((i) => /plain text/.test(i.message));
      expect(plain).toEqual([
        {
          file: `Pulumi.${stack}.yaml`,
          key: `launchpad:secrets.${app}.${name}`,
          stack,
          message: expect.stringContaining(
            `pulumi config set --secret --stack ${stack} --path 'launchpad:secrets.${app}.${name}' <value>`,
          ),
        },
      ]);
      expect(JSON.stringify(issues)).not.toContain(PLAIN);
    },
  );

  it("is let through, and listed, when the loader declares plain secrets (the audit)", () => {
    const { app, name } = firstSecret("dev");
    const dir = stackWithSecrets("dev", [`    ${app}:`, `      ${name}: ${PLAIN}`]);
    const layered = readLayeredConfig("dev", dir);
    const config = parsePlatformConfig("dev", withSecretStandIns(layered, validatePlatform("dev", layered)), {
      plainSecrets: "declare",
    });
    expect(config.plainSecrets).toEqual([
      { app, name, file: "Pulumi.dev.yaml", key: `launchpad:secrets.${app}.${name}` },
    ]);
    expect(JSON.stringify(config)).not.toContain(PLAIN);
  });

  it("when the engine marks the key plain and no file tells more, every value is reported", () => {
    const config = completeConfig("prod");
    delete config.plainSecrets;
    config.secretKeys = config.secretKeys.filter((k) => k !== "launchpad:secrets");
    const stored = config.values["launchpad:secrets"] as Record<string, Record<string, string>>;
    const count = Object.values(stored).reduce((n, names) => n + Object.keys(names).length, 0);
    const found = problems("prod", config);
    expect(found.filter((p) => /stored in plain text/.test(p))).toHaveLength(count);
  });

  it("a value under launchpad:secrets in Pulumi.yaml is plain text by nature", () => {
    const dir = copyProject();
    const { app, name } = firstSecret("dev");
    const file = path.join(dir, "Pulumi.yaml");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(
          "config:\n",
          `config:\n  launchpad:secrets:\n    value:\n      ${app}:\n        ${name}: ${PLAIN}\n`,
        ),
    );
    expect(readLayeredConfig("dev", dir).plainSecrets).toEqual([`launchpad:secrets.${app}.${name}`]);
  });
});

describe("an env entry named like a declared secret", () => {
  /** An app with a service that receives a secret, from the catalog. */
  function serviceWithSecret(config: LayeredConfig) {
    const platform = validatePlatform("prod", config);
    for (const [app, spec] of Object.entries(platform.apps)) {
      for (const [service, s] of Object.entries(spec.services)) {
        if (s.secrets.length > 0) return { app, service, secret: s.secrets[0]!, index: 0 };
      }
    }
    throw new Error("the catalog has no service that receives a secret");
  }

  it("is refused, naming the env entry and the secret's declaration, never the value", () => {
    const config = completeConfig("prod");
    const { app, service, secret, index } = serviceWithSecret(config);
    appsOf(config)[app]!["services"][service].env[secret] = PLAIN;
    const found = problems("prod", config);
    expect(found).toEqual([
      `Pulumi.yaml: launchpad:apps.${app}.services.${service}.env.${secret}: "${secret}" is a secret (launchpad:apps.${app}.services.${service}.secrets[${index}]): delete this plain entry, whose value is committed, and store the value with \`pulumi config set --secret\``,
    ]);
    expect(found.join("\n")).not.toContain(PLAIN);
  });

  it("is refused when another part of the app declares the secret (a CI secret, the alerts webhook)", () => {
    const config = completeConfig("prod");
    const { app, service } = serviceWithSecret(config);
    const webhook = validatePlatform("prod", config).apps[app]!.alerts.webhookSecret;
    appsOf(config)[app]!["services"][service].env[webhook] = PLAIN;
    expect(problems("prod", config)).toEqual([
      expect.stringContaining(
        `launchpad:apps.${app}.services.${service}.env.${webhook}: "${webhook}" is a secret (launchpad:apps.${app}.alerts`,
      ),
    ]);
  });

  it("a plain variable with another name, and a wired value, stay fine", () => {
    const config = completeConfig("prod");
    const { app, service } = serviceWithSecret(config);
    appsOf(config)[app]!["services"][service].env["LOG_FORMAT"] = "json";
    expect(problems("prod", config)).toEqual([]);
  });
});
