import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configReference, withReference } from "../../tools/docs/config-reference";

describe("the README's config reference", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

  it("is the one the schemas generate (run `npm run docs` after changing a schema)", () => {
    expect(withReference(readme)).toBe(readme);
  });

  it("documents every key the schemas accept", () => {
    for (const key of [
      "launchpad:environment.policyEnforcement",
      "launchpad:apps.<app>.services.<name>.healthCheck.path",
    ]) {
      expect(configReference()).toContain(`\`${key}\``);
    }
  });
});
