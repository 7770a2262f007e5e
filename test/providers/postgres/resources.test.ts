import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CronJob,
  PlatformTables,
  StorageBucket,
  SupabaseCompat,
  TableRowLevelSecurity,
} from "../../../infra/providers/postgres";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
const URL_WITH_PASSWORD = "postgresql://migrator:pw-do-not-log@db.internal:5432/app?sslmode=require";

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "launchpad",
    "dev",
    false,
  );
});

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("resource classes", () => {
  it("register distinct type tokens and keep the connection string secret", async () => {
    const resources = [
      new SupabaseCompat("compat", { databaseUrl: URL_WITH_PASSWORD, storage: true }),
      new TableRowLevelSecurity("notes-rls", {
        databaseUrl: URL_WITH_PASSWORD,
        table: "notes",
        rls: { model: "owner", column: "owner_id" },
      }),
      new StorageBucket("backups", { databaseUrl: URL_WITH_PASSWORD, id: "backups" }),
      new CronJob("purge", {
        databaseUrl: URL_WITH_PASSWORD,
        jobName: "purge",
        schedule: "0 3 * * *",
        command: "select 1",
      }),
      new PlatformTables("platform", { databaseUrl: URL_WITH_PASSWORD, auditedTables: ["notes"] }),
    ];
    await Promise.all(resources.map((resource) => settle(resource.urn)));
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/postgres:CronJob",
      "pulumi-nodejs:dynamic/postgres:PlatformTables",
      "pulumi-nodejs:dynamic/postgres:StorageBucket",
      "pulumi-nodejs:dynamic/postgres:SupabaseCompat",
      "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity",
    ]);
    for (const resource of resources) {
      const url = (resource as unknown as { databaseUrl: pulumi.Output<string> }).databaseUrl;
      expect(await pulumi.isSecret(url)).toBe(true);
    }
    for (const r of registered) {
      expect(typeof r.inputs.__provider).toBe("string");
      expect(r.inputs.__provider as string).not.toContain("pw-do-not-log");
    }
  });

  it("leaves the connection to the environment when no databaseUrl is given", async () => {
    const rls = new TableRowLevelSecurity("kpis-rls", {
      table: "custom_kpis",
      rls: { model: "owner", column: "o" },
    });
    await settle(rls.urn);
    expect(registered.find((r) => r.name === "kpis-rls")!.inputs.databaseUrl).toBeUndefined();
  });
});
