import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parsePlatformConfig,
  readLayeredConfig,
  requiredSecrets,
  type LayeredConfig,
} from "../../infra/config";
import { withSecretStandIns } from "../../tools/engine/secret-stand-ins";
import { validatePlatform } from "../../infra/config/load";
import { appsOf, realConfig } from "../support/config-fixtures";

/** The config of a stack with every secret stood in, so only the change under test can fail. */
function completeConfig(stack = "prod"): LayeredConfig {
  const config = realConfig(stack);
  return withSecretStandIns(config, validatePlatform(stack, config));
}

function problems(stack: string, config: LayeredConfig): string[] {
  try {
    parsePlatformConfig(stack, config);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.file}: ${i.key}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("the shipped configuration", () => {
  it.each(["dev", "qa", "prod"])("%s validates once its secrets are set", (stack) => {
    const config = parsePlatformConfig(stack, completeConfig(stack));
    expect(config.stack).toBe(stack);
    // Every app the catalog declares, in its order.
    expect(Object.keys(config.apps)).toEqual(Object.keys(appsOf(realConfig(stack))));
  });

  it("applies a stack's overrides on top of the catalog", () => {
    const dev = parsePlatformConfig("dev", completeConfig("dev"));
    const prod = parsePlatformConfig("prod", completeConfig("prod"));
    expect(dev.apps["submissions"]!.database!.supabaseUrl).toBe("https://submissionsdevxxxxxx.supabase.co");
    expect(prod.apps["submissions"]!.database!.supabaseUrl).toBe("https://submissionsprodxxxxx.supabase.co");
  });

  it("fills the defaults a user expects", () => {
    const prod = parsePlatformConfig("prod", completeConfig("prod"));
    expect(prod.apps["mona-spark"]!.services["redis"]).toMatchObject({ public: false, region: "cdg" });
    expect(prod.apps["mona-spark"]!.services["analytics"]).toMatchObject({ public: false, replicas: 2 });
    expect(prod.apps["mona-spark"]!.services["redis"]!.healthCheck).toBeUndefined();
    expect(prod.apps["sheet2scene"]!.frontend!.rootDirectory).toBe(".");
    expect(prod.apps["workspace-analytics"]!.services["api"]).toMatchObject({ public: true, memoryMb: 512 });
    expect(prod.apps["workspace-analytics"]!.services["api"]!.healthCheck).toEqual({
      path: "/health",
      gracePeriodSeconds: 30,
      intervalSeconds: 15,
      timeoutSeconds: 5,
    });
    expect(prod.apps["submissions"]!.buckets["backups"]!.public).toBe(false);
    expect(prod.apps["sheet2scene"]!.alerts.webhookSecret).toBe("DISCORD_WEBHOOK_URL");
  });
});

describe("schema errors name the file and the key path", () => {
  it("a wrong type", () => {
    const config = completeConfig();
    appsOf(config)["mapquiz"]!["services"].api.memoryMb = "lots";
    expect(problems("prod", config)).toEqual([
      'Pulumi.yaml: launchpad:apps.mapquiz.services.api.memoryMb: expected a number, got "lots"',
    ]);
  });

  it("a number out of range", () => {
    const config = completeConfig();
    appsOf(config)["mapquiz"]!["services"].api.memoryMb = 99999;
    expect(problems("prod", config)).toEqual([
      "Pulumi.yaml: launchpad:apps.mapquiz.services.api.memoryMb: expected a number ≤ 16384, got 99999",
    ]);
  });

  it("an unknown key, nested", () => {
    const config = completeConfig();
    appsOf(config)["mapquiz"]!["services"].api.healthCheck.pth = "/x";
    expect(problems("prod", config)).toEqual([
      'Pulumi.yaml: launchpad:apps.mapquiz.services.api.healthCheck.pth: unknown key; did you mean "path"?',
    ]);
  });

  it("an unknown top-level launchpad key", () => {
    const config = completeConfig();
    config.values["launchpad:aps"] = {};
    config.sources["launchpad:aps"] = "Pulumi.prod.yaml";
    expect(problems("prod", config)[0]).toMatch(/^Pulumi\.prod\.yaml: launchpad:aps: unknown key/);
  });

  it("a bad enum value, located in the stack file", () => {
    const config = completeConfig();
    (config.values["launchpad:environment"] as Record<string, unknown>)["policyEnforcement"] = "strict";
    expect(problems("prod", config)).toEqual([
      'Pulumi.prod.yaml: launchpad:environment.policyEnforcement: expected one of "advisory", "required-items", "mandatory", got "strict"',
    ]);
  });

  it("a missing required key", () => {
    const config = completeConfig();
    delete appsOf(config)["mapquiz"]!["alerts"];
    expect(problems("prod", config)).toEqual([
      "Pulumi.yaml: launchpad:apps.mapquiz.alerts: required, expected a map",
    ]);
  });

  it("an override is located in the stack file under launchpad:overrides", () => {
    const config = completeConfig();
    (config.values["launchpad:overrides"] as Record<string, any>)["mapquiz"] = {
      services: { api: { region: "paris" } },
    };
    expect(problems("prod", config)[0]).toMatch(
      /^Pulumi\.prod\.yaml: launchpad:overrides\.mapquiz\.services\.api\.region: expected one of "ams",.*got "paris"$/,
    );
  });

  it("an override of an app the catalog lacks", () => {
    const config = completeConfig();
    (config.values["launchpad:overrides"] as Record<string, any>)["submision"] = { domain: "x.app" };
    expect(problems("prod", config)).toEqual([
      'Pulumi.prod.yaml: launchpad:overrides.submision: the catalog declares no app "submision"; did you mean "submissions"?',
    ]);
  });

  it("an app name that cannot be a DNS label", () => {
    const config = completeConfig();
    const apps = appsOf(config);
    apps["Map_Quiz"] = apps["mapquiz"]!;
    expect(
      problems("prod", config).some((p) => p.startsWith("Pulumi.yaml: launchpad:apps.Map_Quiz: invalid key")),
    ).toBe(true);
  });

  it("reports every problem at once", () => {
    const config = completeConfig();
    appsOf(config)["mapquiz"]!["services"].api.memoryMb = "lots";
    appsOf(config)["submissions"]!["frontend"].framework = "svelte";
    (config.values["launchpad:environment"] as Record<string, unknown>)["branches"] = [];
    expect(problems("prod", config)).toHaveLength(3);
  });
});

describe("cross-field rules", () => {
  const cases: Array<[string, (apps: Record<string, Record<string, any>>) => void, string]> = [
    [
      "an RLS owner column the table does not declare",
      (apps) => (apps["submissions"]!["database"].tables.soumissions_disponibilites.rls.column = "owner_id"),
      'Pulumi.yaml: launchpad:apps.submissions.database.tables.soumissions_disponibilites.rls.column: column "owner_id" is not declared in the table\'s columns',
    ],
    [
      "an RLS tenant column the table does not declare",
      (apps) => (apps["workspace-analytics"]!["database"].tables.custom_kpis.rls.column = "tenant_id"),
      'Pulumi.yaml: launchpad:apps.workspace-analytics.database.tables.custom_kpis.rls.column: column "tenant_id" is not declared in the table\'s columns',
    ],
    [
      "a membership table that is not declared",
      (apps) => (apps["workspace-analytics"]!["database"].tables.custom_kpis.rls.membershipTable = "members"),
      'Pulumi.yaml: launchpad:apps.workspace-analytics.database.tables.custom_kpis.rls.membershipTable: table "members" is not declared in database.tables',
    ],
    [
      "a job targeting a missing table",
      (apps) => (apps["submissions"]!["jobs"]["daily-backup"].action.table = "soumissions"),
      'Pulumi.yaml: launchpad:apps.submissions.jobs.daily-backup.action.table: table "soumissions" is not declared in database.tables or database.platformTables',
    ],
    [
      "a job in a missing bucket",
      (apps) => (apps["submissions"]!["jobs"]["daily-backup"].action.bucket = "archive"),
      'Pulumi.yaml: launchpad:apps.submissions.jobs.daily-backup.action.bucket: bucket "archive" is not declared in buckets',
    ],
    [
      "a purge on a column the table lacks",
      (apps) =>
        (apps["submissions"]!["jobs"]["purge-audit-logs"].action = {
          kind: "purge",
          table: "soumissions_disponibilites",
          column: "inserted_at",
        }),
      'Pulumi.yaml: launchpad:apps.submissions.jobs.purge-audit-logs.action.column: column "inserted_at" is not declared in table "soumissions_disponibilites"',
    ],
    [
      "a web service without a port",
      (apps) => delete apps["mapquiz"]!["services"].api.port,
      "Pulumi.yaml: launchpad:apps.mapquiz.services.api.port: required for a web service (the port the process listens on)",
    ],
    [
      "memory above the service's budget",
      (apps) => (apps["mapquiz"]!["services"].api.memoryMb = 1024),
      "Pulumi.yaml: launchpad:apps.mapquiz.services.api.memoryMb: expected a number ≤ 512 (the service's maxMemoryMb), got 1024",
    ],
    [
      "a variable wired to a service that does not exist",
      (apps) => (apps["mona-spark"]!["services"].api.env.REDIS_URL.service = "cache"),
      'Pulumi.yaml: launchpad:apps.mona-spark.services.api.env.REDIS_URL.service: service "cache" is not declared in services',
    ],
    [
      "a variable wired to a disabled service",
      (apps) => (apps["mona-spark"]!["services"].redis.enabled = false),
      'Pulumi.yaml: launchpad:apps.mona-spark.services.api.env.REDIS_URL.service: service "redis" is disabled, so it has no address',
    ],
    [
      "a variable wired to a service that listens on no port",
      (apps) => delete apps["mona-spark"]!["services"].redis.port,
      'Pulumi.yaml: launchpad:apps.mona-spark.services.api.env.REDIS_URL.service: service "redis" listens on no port (set its port)',
    ],
    [
      "a GPU service in a region where Fly has no such GPU",
      (apps) => (apps["workspace-analytics"]!["services"].ollama.region = "cdg"),
      'Pulumi.yaml: launchpad:apps.workspace-analytics.services.ollama.region: Fly offers a10 GPUs only in ord; got "cdg": set the region to one of them',
    ],
    [
      "an enabled GPU service left in the environment's default region",
      (apps) => {
        const ollama = apps["workspace-analytics"]!["services"].ollama;
        ollama.enabled = true;
        ollama.gpu = "a100-80gb";
        delete ollama.region;
      },
      `Pulumi.yaml: launchpad:apps.workspace-analytics.services.ollama.region: Fly offers a100-80gb GPUs only in ams, iad, sjc, syd; got "cdg" (the environment's default region): set the region to one of them`,
    ],
    [
      "a service whose Fly app name would pass 63 characters",
      (apps) =>
        (apps["mapquiz-for-schools-and-universities-eu"] = {
          ...apps["mapquiz"]!,
          services: { "background-media-transcoder": { kind: "worker" } },
        }),
      'Pulumi.yaml: launchpad:apps.mapquiz-for-schools-and-universities-eu.services.background-media-transcoder: its Fly app name "mapquiz-for-schools-and-universities-eu-background-media-transcoder-prod" would be longer than 63 characters; shorten the service name',
    ],
    [
      "a backend URL wired while the app's web service is disabled",
      (apps) => (apps["mona-spark"]!["services"].api.enabled = false),
      "Pulumi.yaml: launchpad:apps.mona-spark.frontend.publicEnv.NEXT_PUBLIC_API_URL: wired from the backend URL, but the app declares no enabled public web service",
    ],
    [
      "a variable wired to a database the app lacks",
      (apps) => {
        delete apps["mapquiz"]!["database"];
        delete apps["mapquiz"]!["jobs"];
      },
      "Pulumi.yaml: launchpad:apps.mapquiz.services.api.env.DATABASE_URL: wired from the database, but the app declares no database",
    ],
    [
      "a backend URL wired into an app with no public web service",
      (apps) => (apps["sheet2scene"]!["frontend"].publicEnv.NEXT_PUBLIC_API_URL = { from: "backendUrl" }),
      "Pulumi.yaml: launchpad:apps.sheet2scene.frontend.publicEnv.NEXT_PUBLIC_API_URL: wired from the backend URL, but the app declares no enabled public web service",
    ],
    [
      "snapshots without the backup_metadata table",
      (apps) => (apps["submissions"]!["database"].platformTables = ["audit_logs"]),
      'Pulumi.yaml: launchpad:apps.submissions.jobs.daily-backup.action.kind: "snapshot" records snapshots in backup_metadata: add it to database.platformTables',
    ],
  ];

  it.each(cases)("%s", (_name, edit, expected) => {
    const config = completeConfig();
    edit(appsOf(config));
    expect(problems("prod", config)).toContain(expected);
  });

  it("an environment profile written for another stack", () => {
    const config = completeConfig("qa");
    (config.values["launchpad:environment"] as Record<string, unknown>)["name"] = "prod";
    expect(problems("qa", config)).toEqual([
      'Pulumi.qa.yaml: launchpad:environment.name: expected "qa" (the stack this file configures), got "prod"',
    ]);
  });
});

describe("secrets", () => {
  it("lists the exact commands for every missing secret, in one error", () => {
    const issues = problems("prod", realConfig("prod"));
    expect(issues).toHaveLength(1);
    const required = Object.values(validatePlatform("prod", realConfig("prod")).apps).reduce(
      (sum, spec) => sum + requiredSecrets(spec).size,
      0,
    );
    expect(issues[0]).toMatch(
      new RegExp(
        `^Pulumi\\.prod\\.yaml: launchpad:secrets: ${required} required secrets are not set; run:\n`,
      ),
    );
    expect(issues[0]!.match(/pulumi config set --secret/g)).toHaveLength(required);
    expect(issues[0]).toContain(
      "pulumi config set --secret --stack prod --path 'launchpad:secrets.mapquiz.BETTER_AUTH_SECRET' <value>",
    );
    expect(issues[0]).toContain(
      "pulumi config set --secret --stack prod --path 'launchpad:secrets.sheet2scene.RUNPOD_API_KEY' <value>",
    );
  });

  it("refuses a secret value stored in plain text, by its key", () => {
    const config = completeConfig();
    config.plainSecrets = ["launchpad:secrets.mapquiz.BETTER_AUTH_SECRET"];
    expect(problems("prod", config)).toEqual([
      "Pulumi.prod.yaml: launchpad:secrets.mapquiz.BETTER_AUTH_SECRET: stored in plain text, readable by anyone with the repository; store it encrypted (secure:): run pulumi config set --secret --stack prod --path 'launchpad:secrets.mapquiz.BETTER_AUTH_SECRET' <value> and commit the file",
    ]);
  });

  it("refuses a secret no part of the app uses", () => {
    const config = completeConfig();
    (config.values["launchpad:secrets"] as Record<string, Record<string, string>>)["mapquiz"]![
      "BETTER_AUTH_SECRT"
    ] = "x";
    expect(problems("prod", config)).toEqual([
      'Pulumi.prod.yaml: launchpad:secrets.mapquiz.BETTER_AUTH_SECRT: no part of app "mapquiz" uses this secret; did you mean "BETTER_AUTH_SECRET"?',
    ]);
  });

  it("hands secret values out only as Pulumi secrets", async () => {
    const config = parsePlatformConfig("prod", completeConfig());
    const value = config.secrets.get("mapquiz", "BETTER_AUTH_SECRET");
    expect(await pulumi.isSecret(value)).toBe(true);
    expect(JSON.stringify(config)).not.toContain("offline-secret");
  });
});

describe("reading the Pulumi files", () => {
  it("layers stack keys over project keys and keeps track of each key's file", () => {
    const layered = readLayeredConfig("prod");
    expect(layered.sources["launchpad:apps"]).toBe("Pulumi.yaml");
    expect(layered.sources["launchpad:environment"]).toBe("Pulumi.prod.yaml");
    expect(layered.sources["launchpad:overrides"]).toBe("Pulumi.prod.yaml");
  });
});
