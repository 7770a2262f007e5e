import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { FLY, GITHUB, PG, POSTGRESQL, RANDOM, VERCEL } from "../../policies/rules/lib/types";

/** `Project` → the SDK class's own type token (providers register as `pulumi:providers:<package>`). */
function tokenOf(sdk: Record<string, unknown>, className: string): string {
  const token = (sdk[className] as { __pulumiType: string }).__pulumiType;
  return className === "Provider" ? `pulumi:providers:${token}` : token;
}

describe("the type tokens the rules target are those the providers register", () => {
  it.each([
    [
      VERCEL,
      "@pulumiverse/vercel",
      {
        project: "Project",
        envVar: "ProjectEnvironmentVariable",
        envVars: "ProjectEnvironmentVariables",
        sharedEnvVar: "SharedEnvironmentVariable",
        domain: "ProjectDomain",
        route: "ProjectRoute",
        firewall: "FirewallConfig",
        webhook: "Webhook",
        logDrain: "LogDrain",
        traceDrain: "TraceDrain",
      },
    ],
    [
      GITHUB,
      "@pulumi/github",
      {
        provider: "Provider",
        environment: "RepositoryEnvironment",
        deploymentPolicy: "RepositoryEnvironmentDeploymentPolicy",
        environmentSecret: "ActionsEnvironmentSecret",
        repositorySecret: "ActionsSecret",
        environmentVariable: "ActionsEnvironmentVariable",
        repositoryVariable: "ActionsVariable",
        ruleset: "RepositoryRuleset",
        webhook: "RepositoryWebhook",
      },
    ],
    [
      POSTGRESQL,
      "@pulumi/postgresql",
      {
        provider: "Provider",
        role: "Role",
        grant: "Grant",
        defaultPrivileges: "DefaultPrivileges",
        database: "Database",
        schema: "Schema",
      },
    ],
    [RANDOM, "@pulumi/random", { password: "RandomPassword", bytes: "RandomBytes" }],
  ] as const)("%#: registry classes", (tokens, pkg, classes) => {
    const sdk = require(pkg) as Record<string, unknown>;
    for (const [key, className] of Object.entries(classes)) {
      expect((tokens as Record<string, string>)[key], `${pkg} ${className}`).toBe(tokenOf(sdk, className));
    }
  });

  it("dynamic resources of infra/providers", async () => {
    const registered: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.type);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "launchpad",
      "prod",
      false,
    );
    const fly = await import("../../infra/providers/fly");
    const pg = await import("../../infra/providers/postgres");
    const app = "mapquiz-api-prod";
    const resources = [
      new fly.FlyApp("a", { name: app, org: "o" }),
      new fly.FlySecrets("s", { app, values: {} }),
      new fly.FlyMachine("m", {
        app,
        name: "m",
        region: "cdg",
        image: "i",
        guest: { cpus: 1, memoryMb: 256 },
      }),
      new fly.FlyVolume("v", { app, name: "v", region: "cdg", sizeGb: 1 }),
      new fly.FlyIpAssignment("i", { app, type: "v6" }),
      new fly.FlyCertificate("c", { app, hostname: "api.mapquiz.app" }),
      new pg.TableRowLevelSecurity("t", { table: "t", rls: { model: "owner", column: "user_id" } }),
      new pg.StorageBucket("b", { id: "b" }),
      new pg.CronJob("j", { jobName: "j", schedule: "0 2 * * *", command: "select 1" }),
      new pg.PlatformTables("p", {}),
      new pg.SupabaseCompat("x", {}),
    ];
    await new Promise<void>((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(() => resolve()));
    expect(registered.sort()).toEqual([...Object.values(FLY), ...Object.values(PG)].sort());
  });
});
