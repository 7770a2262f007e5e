import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type ConfigIssue, type LayeredConfig, validatePlatform } from "../../infra/config";
import { appsOf, configIssues, copyProject, editFile, realConfig } from "../support/config-fixtures";

const BIN = path.resolve(__dirname, "..", "..", "bin", "launchpad.js");

type Edit = (
  apps: Record<string, Record<string, any>>,
  overrides: Record<string, Record<string, any>>,
) => void;

/** A stack's real config with the catalog and the stack's overrides edited. */
function edited(stack: string, edit: Edit): LayeredConfig {
  const config = realConfig(stack);
  const overrides = (config.values["launchpad:overrides"] ?? {}) as Record<string, Record<string, any>>;
  edit(appsOf(config), overrides);
  return config;
}

function issueAt(stack: string, config: LayeredConfig, key: string): ConfigIssue {
  const issues = configIssues(stack, config);
  const found = issues.find((i) => i.key === key);
  if (!found)
    throw new Error(`no issue at ${key}; got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
  return found;
}

const supabaseOf = (apps: Record<string, Record<string, any>>, app: string) =>
  ((apps[app]!.database as Record<string, any>).supabase ??= {}) as Record<string, any>;

describe("Supabase settings in the config", () => {
  it("the real stacks are valid as they are", () => {
    for (const stack of ["dev", "qa", "prod"])
      expect(() => validatePlatform(stack, realConfig(stack))).not.toThrow();
  });

  it("refuses a redirect URL on another domain, naming the key", () => {
    const config = edited("prod", (apps) => {
      supabaseOf(apps, "sheet2scene").auth = {
        redirectUrls: ["https://sheet2scene.app.attacker.example/auth/callback"],
      };
    });
    const issue = issueAt(
      "prod",
      config,
      "launchpad:apps.sheet2scene.database.supabase.auth.redirectUrls[0]",
    );
    expect(issue.file).toBe("Pulumi.yaml");
    expect(issue.message).toMatch(/not on the app's own domain \(sheet2scene\.app\)/);
  });

  it("refuses a redirect URL on the prod domain in dev, whose site is elsewhere", () => {
    const config = edited("dev", (apps) => {
      supabaseOf(apps, "sheet2scene").auth = { redirectUrls: ["https://sheet2scene.app/auth/callback"] };
    });
    expect(
      issueAt("dev", config, "launchpad:apps.sheet2scene.database.supabase.auth.redirectUrls[0]").message,
    ).toMatch(/not on the app's own domain \(sheet2scene\.dev\.launchpad-fleet\.app\)/);
  });

  it("refuses an http site URL", () => {
    const config = edited("prod", (apps) => {
      supabaseOf(apps, "submissions").auth = { siteUrl: "http://disponibilites.institution.example" };
    });
    expect(
      issueAt("prod", config, "launchpad:apps.submissions.database.supabase.auth.siteUrl").message,
    ).toMatch(/https/);
  });

  it("refuses an invalid CIDR in a stack's overrides, naming the stack file", () => {
    const config = edited("prod", (_apps, overrides) => {
      overrides["workspace-analytics"]!.database.supabase.network.allowedCidrs = [
        "203.0.113.0/24",
        "10.0.0.256/8",
      ];
    });
    const issue = issueAt(
      "prod",
      config,
      "launchpad:overrides.workspace-analytics.database.supabase.network.allowedCidrs[1]",
    );
    expect(issue.file).toBe("Pulumi.prod.yaml");
    expect(issue.message).toMatch(/expected an IPv4 or IPv6 CIDR/);
  });

  it("asks for the project ref when the project URL does not carry one", () => {
    const config = edited("qa", (_apps, overrides) => {
      overrides["submissions"]!.database.supabaseUrl = "https://db.institution.example";
    });
    expect(issueAt("qa", config, "launchpad:apps.submissions.database.supabase.projectRef").message).toMatch(
      /cannot be derived from it; declare it/,
    );
  });

  it("refuses a declared ref that contradicts the project URL", () => {
    const config = edited("qa", (apps) => {
      supabaseOf(apps, "submissions").projectRef = "abcdefghijklmnopqrst";
    });
    expect(issueAt("qa", config, "launchpad:apps.submissions.database.supabase.projectRef").message).toMatch(
      /differs from the ref in database\.supabaseUrl/,
    );
  });
});

describe("launchpad plan on bad Supabase settings", () => {
  it("exits 2 naming the file and key of an invalid CIDR, and prints no plan", () => {
    const dir = copyProject();
    editFile(dir, "Pulumi.prod.yaml", '"198.51.100.0/28"', '"198.51.100.0/33"');
    const run = spawnSync(process.execPath, [BIN, "plan", "--stack", "prod"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Pulumi.prod.yaml");
    expect(run.stderr).toContain("workspace-analytics.database.supabase.network.allowedCidrs[1]");
    expect(run.stdout).not.toMatch(/^Stack prod/m);
  });
});
