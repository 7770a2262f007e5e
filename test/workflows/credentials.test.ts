import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appSources } from "../../tools/ci/app-sources";
import { evaluateStacks } from "../../tools/engine";
import type { StackEvaluation } from "../../tools/engine/types";
import { deliveryEnvironments, ROOT, STACKS } from "./support";

// The credentials a stack's `pulumi up` needs from the shell follow from what the stack declares: each
// provider reads its own environment variable. The environments of .github/environments.yml must
// hold exactly those (plus the delivery channel), so a new provider cannot ship without its secret.

const declared = deliveryEnvironments();
const evaluations: Record<string, StackEvaluation> = {};

beforeAll(async () => {
  for (const outcome of await evaluateStacks(STACKS)) {
    if (!outcome.ok) throw new Error(`${outcome.stack} did not evaluate: ${JSON.stringify(outcome)}`);
    evaluations[outcome.stack] = outcome.evaluation;
  }
});

function stackFile(stack: string): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as Record<string, unknown>;
}

/** The code that reads each variable, so a rename in the program breaks this test, not a deploy. */
const READERS: Record<string, { file: string; reads: RegExp }> = {
  GITHUB_TOKEN: { file: "infra/platform.ts", reads: /process\.env\["GITHUB_TOKEN"\]/ },
  FLY_API_TOKEN: { file: "infra/providers/fly/settings.ts", reads: /readEnvToken\(env, "FLY_API_TOKEN"/ },
  SUPABASE_ACCESS_TOKEN: {
    file: "infra/providers/supabase/settings.ts",
    reads: /readEnvToken\(\s*env,\s*"SUPABASE_ACCESS_TOKEN"/,
  },
};

/**
 * The environment variables `pulumi up` of `stack` reads, from what the stack declares; a deploy
 * environment also marks each deploy on the apps' dashboards.
 */
function neededVariables(stack: string, role: "deploy" | "preview" = "deploy"): string[] {
  const types = evaluations[stack]!.resources.map((r) => r.type);
  const file = stackFile(stack);
  const config = (file["config"] ?? {}) as Record<string, unknown>;
  const needs = new Set<string>();
  // No secretsprovider and no encryptionsalt in the stack file: Pulumi Cloud holds state and secrets.
  if (file["secretsprovider"] === undefined && file["encryptionsalt"] === undefined)
    needs.add("PULUMI_ACCESS_TOKEN");
  else if (file["encryptionsalt"] !== undefined) needs.add("PULUMI_CONFIG_PASSPHRASE");
  if (types.some((t) => t.startsWith("vercel:")) && !("vercel:apiToken" in config))
    needs.add("VERCEL_API_TOKEN");
  if (types.some((t) => t.startsWith("pulumi-nodejs:dynamic/fly:"))) needs.add("FLY_API_TOKEN");
  if (types.some((t) => t.startsWith("pulumi-nodejs:dynamic/supabase:"))) needs.add("SUPABASE_ACCESS_TOKEN");
  if (types.some((t) => t.startsWith("github:")) || builtFromSources(stack).length > 0)
    needs.add("GITHUB_TOKEN");
  // The Grafana provider reads its URL and token, and Synthetic Monitoring's, from the shell.
  if (types.some((t) => t.startsWith("grafana:")) && !("grafana:auth" in config)) {
    needs.add("GRAFANA_URL");
    needs.add("GRAFANA_AUTH");
  }
  if (
    types.some((t) => t.startsWith("grafana:syntheticMonitoring/")) &&
    !("grafana:smAccessToken" in config)
  ) {
    needs.add("GRAFANA_SM_URL");
    needs.add("GRAFANA_SM_ACCESS_TOKEN");
  }
  // Deploys and rollbacks are marked on each app's dashboard, on the stack's Grafana.
  if (role === "deploy" && types.some((t) => t === "grafana:oss/dashboard:Dashboard")) {
    needs.add("GRAFANA_URL");
    needs.add("GRAFANA_ANNOTATIONS_TOKEN");
  }
  // Deploys, rollbacks and drift are reported to the delivery channel.
  needs.add("DISCORD_WEBHOOK_URL");
  return [...needs].sort();
}

/** The folders (next to the project) that the stack builds images from: `../<repository.name>`. */
function builtFromSources(stack: string): string[] {
  const contexts = evaluations[stack]!.resources.filter((r) => r.type === "docker:index/image:Image").map(
    (r) => String((r.inputs["build"] as { context: string }).context),
  );
  return [...new Set(contexts.map((c) => /^\.\.\/([^/]+)/.exec(c)?.[1] ?? `not a sibling: ${c}`))].sort();
}

describe("the credentials of each environment", () => {
  it("are what the stack's providers read, under their variable names", () => {
    // The backup environments hold an app's credentials, not a stack's: test/backup/workflow.test.ts.
    for (const [name, env] of Object.entries(declared.environments).filter(([, e]) => e.role !== "backup")) {
      const variables = env.secrets.map((s) => declared.secrets[s]!.variable).sort();
      expect({ environment: name, variables }).toEqual({
        environment: name,
        variables: neededVariables(env.stack, env.role as "deploy" | "preview"),
      });
    }
  });

  it("cover every stack with a deploy and a preview environment", () => {
    for (const stack of STACKS) {
      const roles = Object.values(declared.environments)
        .filter((e) => e.stack === stack && e.role !== "backup")
        .map((e) => e.role)
        .sort();
      expect({ stack, roles }).toEqual({ stack, roles: ["deploy", "preview"] });
      expect(declared.environments[stack]?.role).toBe("deploy");
      expect(declared.environments[`${stack}-preview`]?.role).toBe("preview");
    }
  });

  it("name variables the program really reads", () => {
    for (const [variable, { file, reads }] of Object.entries(READERS)) {
      expect({ variable, read: reads.test(fs.readFileSync(path.join(ROOT, file), "utf8")) }).toEqual({
        variable,
        read: true,
      });
    }
  });

  it("need no database credential: every database resource takes its URL as a secret input", () => {
    for (const stack of STACKS) {
      const dynamic = evaluations[stack]!.resources.filter((r) =>
        r.type.startsWith("pulumi-nodejs:dynamic/postgres:"),
      );
      expect(dynamic.length).toBeGreaterThan(0);
      for (const r of dynamic)
        expect({ name: r.name, secret: r.secretInputs }).toMatchObject({
          name: r.name,
          secret: expect.arrayContaining(["databaseUrl"]),
        });
      const providers = evaluations[stack]!.resources.filter((r) => r.type === "pulumi:providers:postgresql");
      for (const p of providers) expect(p.secretInputs.length).toBeGreaterThan(0);
    }
  });

  it("would change if a stack stopped declaring a provider's resources", () => {
    const saved = evaluations["dev"]!;
    evaluations["dev"] = {
      ...saved,
      resources: saved.resources.filter((r) => !r.type.startsWith("vercel:")),
    };
    try {
      expect(neededVariables("dev")).not.toContain("VERCEL_API_TOKEN");
      expect(neededVariables("prod")).toContain("VERCEL_API_TOKEN");
    } finally {
      evaluations["dev"] = saved;
    }
  });
});

describe("the apps' sources checked out for image builds", () => {
  it("are exactly the repositories the stacks build images from, each next to the project", () => {
    const catalog = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config["launchpad:apps"]
      .value as Record<string, { repository: { owner: string; name: string } }>;
    const byFolder = new Map(
      Object.values(catalog).map((a) => [a.repository.name, `${a.repository.owner}/${a.repository.name}`]),
    );
    const needed = [...new Set(STACKS.flatMap((s) => builtFromSources(s)))].sort();
    expect(needed.length).toBeGreaterThan(0);
    const sources = appSources(ROOT);
    expect(sources.map((s) => s.path)).toEqual(needed);
    for (const source of sources) expect(source.repository).toBe(byFolder.get(source.path));
  });
});
