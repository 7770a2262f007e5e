import { beforeAll, describe, expect, it } from "vitest";
import { evaluateStack } from "../../tools/engine/evaluate-stack";
import type { StackEvaluation } from "../../tools/engine/types";
import { catalogAppNames } from "../support/catalog";
import { ofType, T } from "./support";

// This file runs in its own process (vitest forks), so the variable does not reach other test files.
const TOKEN = "ghp_credentials-probe-value";

let prod: StackEvaluation;
beforeAll(async () => {
  process.env["GITHUB_TOKEN"] = TOKEN;
  prod = await evaluateStack("prod");
});

describe("the GitHub token of the shell", () => {
  it("reaches every GitHub provider as a secret input, never in plain", () => {
    // One per app: each reaches its own repository.
    const providers = ofType(prod, T.githubProvider);
    expect(providers).toHaveLength(catalogAppNames("prod").length);
    for (const provider of providers) {
      expect(provider.secretInputs).toContain("token");
      expect(provider.inputs["token"]).toBe("[secret]");
    }
    expect(JSON.stringify(prod.resources)).not.toContain(TOKEN);
  });
});
