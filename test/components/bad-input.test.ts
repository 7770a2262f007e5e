import { describe, expect, it } from "vitest";
import { readLayeredConfig, type ConfigIssue, type LayeredConfig } from "../../infra/config";
import { configIssues, secretValuesFor, withSecrets } from "../support/config-fixtures";

type Catalog = Record<string, Record<string, unknown> & { frontend?: Record<string, unknown> }>;

const SERVICE_ROLE_JWT = [
  "eyJhbGciOiJIUzI1NiJ9",
  Buffer.from(JSON.stringify({ iss: "supabase", role: "service_role" })).toString("base64url"),
  "c2lnbmF0dXJl",
].join(".");

/**
 * The prod stack's real config, in memory, with a value for every secret the apps need; `edit` changes
 * the catalog, `secrets` the stored secret values.
 */
function prodConfig(
  edit: (catalog: Catalog) => void = () => {},
  secrets: (values: Record<string, Record<string, string>>) => void = () => {},
): LayeredConfig {
  const config = structuredClone(readLayeredConfig("prod"));
  edit(config.values["launchpad:apps"] as Catalog);
  const values = secretValuesFor("prod", (app, name) =>
    name.endsWith("WEBHOOK_URL")
      ? `https://discord.com/api/webhooks/1/${app}-token`
      : name.endsWith("ADMIN_URL")
        ? `postgresql://admin:${app}-password@db.${app}.example:5432/postgres?sslmode=require`
        : `${app}-${name}-value`,
  );
  secrets(values);
  return withSecrets(config, "prod", values);
}

const issuesOf = (config: LayeredConfig): ConfigIssue[] => configIssues("prod", config);

function issueAt(config: LayeredConfig, key: string): ConfigIssue {
  const issues = issuesOf(config);
  const found = issues.find((i) => i.key === key);
  if (!found)
    throw new Error(`no issue at ${key}; got:\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`);
  return found;
}

describe("the baseline is valid", () => {
  it("prod's real config with every secret set parses", () => {
    expect(issuesOf(prodConfig())).toEqual([]);
  });
});

describe("a secret can never feed a public variable", () => {
  it("refuses a public variable that names a secret as its source", () => {
    const config = prodConfig((c) => {
      (c["sheet2scene"]!.frontend!["publicEnv"] as Record<string, unknown>)["NEXT_PUBLIC_SUPABASE_KEY"] = {
        secret: "SUPABASE_SERVICE_ROLE_KEY",
      };
    });
    const issue = issueAt(config, "launchpad:apps.sheet2scene.frontend.publicEnv.NEXT_PUBLIC_SUPABASE_KEY");
    expect(issue.file).toBe("Pulumi.yaml");
    expect(issue.message).toMatch(/inlined into the browser bundle, so it can never be fed from a secret/);
  });

  it("refuses a public variable wired from something that is not a public value", () => {
    const config = prodConfig((c) => {
      (c["sheet2scene"]!.frontend!["publicEnv"] as Record<string, unknown>)["NEXT_PUBLIC_KEY"] = {
        from: "SUPABASE_SERVICE_ROLE_KEY",
      };
    });
    expect(issueAt(config, "launchpad:apps.sheet2scene.frontend.publicEnv.NEXT_PUBLIC_KEY").message).toMatch(
      /can never be fed from a secret/,
    );
  });

  it("refuses a secret declared under a public name", () => {
    const config = prodConfig((c) => {
      (c["sheet2scene"]!.frontend!["secretEnv"] as string[]).push("NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY");
    });
    const issue = issueAt(config, "launchpad:apps.sheet2scene.frontend.secretEnv[2]");
    expect(issue.message).toMatch(/public prefix.*inlined into the browser bundle/);
  });

  it("refuses a public variable named like a service-role key", () => {
    const config = prodConfig((c) => {
      (c["workspace-analytics"]!.frontend!["publicEnv"] as Record<string, unknown>)[
        "NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY"
      ] = "anything";
    });
    expect(
      issueAt(
        config,
        "launchpad:apps.workspace-analytics.frontend.publicEnv.NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY",
      ).message,
    ).toMatch(/names a secret/);
  });

  it("refuses a service-role key pasted as a literal, without echoing it", () => {
    const config = prodConfig((c) => {
      (c["workspace-analytics"]!.frontend!["publicEnv"] as Record<string, unknown>)[
        "NEXT_PUBLIC_SUPABASE_ANON_KEY"
      ] = SERVICE_ROLE_JWT;
    });
    const issues = issuesOf(config);
    const issue = issueAt(
      config,
      "launchpad:apps.workspace-analytics.frontend.publicEnv.NEXT_PUBLIC_SUPABASE_ANON_KEY",
    );
    expect(issue.message).toMatch(/service-role key/);
    expect(JSON.stringify(issues)).not.toContain(SERVICE_ROLE_JWT);
  });

  it("refuses a public literal equal to one of the app's secrets, naming the secret but not its value", () => {
    const config = prodConfig(
      (c) => {
        (c["sheet2scene"]!.frontend!["publicEnv"] as Record<string, unknown>)["NEXT_PUBLIC_RUNPOD"] =
          "leaked-value";
      },
      (values) => {
        values["sheet2scene"]!["RUNPOD_API_KEY"] = "leaked-value";
      },
    );
    const issue = issueAt(config, "launchpad:apps.sheet2scene.frontend.publicEnv.NEXT_PUBLIC_RUNPOD");
    expect(issue.message).toContain("RUNPOD_API_KEY");
    expect(issue.message).not.toContain("leaked-value");
  });
});

describe("CORS origins are exact https origins", () => {
  it("refuses `*` in the catalog", () => {
    const config = prodConfig((c) => {
      c["workspace-analytics"]!["cors"] = { allowedOrigins: ["*"] };
    });
    const issue = issueAt(config, "launchpad:apps.workspace-analytics.cors.allowedOrigins[0]");
    expect(issue.file).toBe("Pulumi.yaml");
    expect(issue.message).toMatch(/never `\*`/);
  });

  it("refuses a wildcard subdomain and plain http, each at its index", () => {
    const config = prodConfig((c) => {
      c["workspace-analytics"]!["cors"] = {
        allowedOrigins: ["https://ok.example.com", "https://*.example.com", "http://app.example.com"],
      };
    });
    expect(issueAt(config, "launchpad:apps.workspace-analytics.cors.allowedOrigins[1]").message).toMatch(
      /wildcard/,
    );
    expect(issueAt(config, "launchpad:apps.workspace-analytics.cors.allowedOrigins[2]").message).toMatch(
      /plain http is refused/,
    );
    expect(issuesOf(config).some((i) => i.key.endsWith("allowedOrigins[0]"))).toBe(false);
  });

  it("locates a `*` set by a stack's overrides in the stack file", () => {
    const config = prodConfig();
    config.values["launchpad:overrides"] = {
      ...(config.values["launchpad:overrides"] as object),
      "workspace-analytics": { cors: { allowedOrigins: ["*"] } },
    };
    const issue = issueAt(config, "launchpad:overrides.workspace-analytics.cors.allowedOrigins[0]");
    expect(issue.file).toBe("Pulumi.prod.yaml");
  });
});

describe("webhook URLs are https", () => {
  it("refuses an http:// Discord webhook, naming the secret's key but not its value", () => {
    const config = prodConfig(undefined, (values) => {
      values["submissions"]!["DISCORD_WEBHOOK_URL"] = "http://discord.com/api/webhooks/1/plain-token";
    });
    const issues = issuesOf(config);
    const issue = issueAt(config, "launchpad:secrets.submissions.DISCORD_WEBHOOK_URL");
    expect(issue.file).toBe("Pulumi.prod.yaml");
    expect(issue.message).toMatch(/https:\/\/ webhook URL/);
    expect(JSON.stringify(issues)).not.toContain("plain-token");
  });

  it("leaves alone a value that cannot be read here (encrypted, offline)", () => {
    const config = prodConfig(undefined, (values) => {
      values["submissions"]!["DISCORD_WEBHOOK_URL"] =
        "[secret launchpad:secrets.submissions.DISCORD_WEBHOOK_URL]";
    });
    expect(issuesOf(config)).toEqual([]);
  });
});

describe("CI secrets", () => {
  it("refuses a name GitHub reserves", () => {
    const config = prodConfig((c) => {
      (c["mapquiz"]!["ciSecrets"] as string[]).push("GITHUB_TOKEN");
    });
    expect(issueAt(config, "launchpad:apps.mapquiz.ciSecrets[5]").message).toMatch(/starting with GITHUB_/);
  });
});

describe("the environment profile", () => {
  it("takes reviewers as GitHub ids", () => {
    const config = prodConfig();
    const environment = structuredClone(config.values["launchpad:environment"]) as Record<string, unknown>;
    environment["deployReviewers"] = { teams: ["platform-leads"] };
    config.values["launchpad:environment"] = environment;
    const issue = issueAt(config, "launchpad:environment.deployReviewers.teams[0]");
    expect(issue.file).toBe("Pulumi.prod.yaml");
  });
});
