/**
 * The connection strings the Database component hands to the rest of the program (the backend's
 * DATABASE_URL, the release command's migrator URL): secrets, TLS required, the role's own password.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { readLayeredConfig, requiredSecrets, SecretValues, validatePlatform } from "../../infra/config";

const ADMIN_URL = "postgresql://postgres:admin-pw@db.example.supabase.co:5432/postgres";
const PASSWORD = "Generated0Password0Of32Characters";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      // The random provider generates `result`; stand in for it with a known value.
      newResource: (args) => ({
        id: `${args.name}-id`,
        state:
          args.type === "random:index/randomPassword:RandomPassword"
            ? { ...args.inputs, result: PASSWORD }
            : args.inputs,
      }),
      call: () => ({}),
    },
    "launchpad",
    "prod",
    false,
  );
});

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("the Database component's connection strings", () => {
  it("are secrets, for the app's own roles, on the admin URL's server, with TLS required", async () => {
    const { Database } = await import("../../infra/components/database");
    const platform = validatePlatform("prod", readLayeredConfig("prod"));
    const spec = platform.apps["mapquiz"]!;
    const secrets = new SecretValues({ mapquiz: { DATABASE_ADMIN_URL: ADMIN_URL } });
    const database = new Database("mapquiz-database", {
      app: "mapquiz",
      database: spec.database!,
      buckets: spec.buckets,
      jobs: spec.jobs,
      environment: platform.environment,
      secrets,
    });
    const urls = {
      runtime: database.runtimeUrl,
      migrator: database.migratorUrl,
      analytics: database.analyticsUrl,
    };
    for (const [role, output] of Object.entries(urls)) {
      expect(await pulumi.isSecret(output)).toBe(true);
      const url = new URL(await settle(output));
      expect([url.username, url.password, url.host, url.pathname]).toEqual([
        `mapquiz_prod_${role}`,
        PASSWORD,
        "db.example.supabase.co:5432",
        "/postgres",
      ]);
      expect(url.searchParams.get("sslmode")).toBe("require");
    }
  });

  it("keep a stricter sslmode of the admin URL", async () => {
    const { Database } = await import("../../infra/components/database");
    const platform = validatePlatform("prod", readLayeredConfig("prod"));
    const spec = platform.apps["mona-spark"]!;
    const secrets = new SecretValues({
      "mona-spark": { DATABASE_ADMIN_URL: `${ADMIN_URL}?sslmode=verify-full` },
    });
    const database = new Database("mona-spark-database", {
      app: "mona-spark",
      database: spec.database!,
      buckets: spec.buckets,
      jobs: spec.jobs,
      environment: platform.environment,
      secrets,
    });
    expect(new URL(await settle(database.runtimeUrl)).searchParams.get("sslmode")).toBe("verify-full");
  });

  it("reach the App as databaseUrl", async () => {
    const { App } = await import("../../infra/components/app");
    const platform = validatePlatform("prod", readLayeredConfig("prod"));
    const spec = platform.apps["mapquiz"]!;
    // Every secret the app needs, so its other parts can be declared too.
    const values = Object.fromEntries(
      [...requiredSecrets(spec).keys()].map((name) => [name, name.endsWith("_URL") ? ADMIN_URL : "value"]),
    );
    values["DISCORD_WEBHOOK_URL"] = "https://discord.com/api/webhooks/1/token";
    const secrets = new SecretValues({ mapquiz: values });
    const app = new App("mapquiz", { spec, environment: platform.environment, secrets, probeIds: [1] });
    expect(await pulumi.isSecret(app.databaseUrl!)).toBe(true);
    expect(new URL(await settle(app.databaseUrl!)).username).toBe("mapquiz_prod_runtime");
  });
});
