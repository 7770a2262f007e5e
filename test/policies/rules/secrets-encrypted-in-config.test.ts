import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../infra/config";
import { loadExemptions } from "../../../policies/exemptions";
import { APP_COMPONENT } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource } from "../support";

const RULE = "secrets-encrypted-in-config";

const appIn = (stack: string, plain: Array<{ file: string; key: string }>) =>
  resource(stack, APP_COMPONENT, "mapquiz", { secretsInPlainText: plain }, { custom: false });

describe(RULE, () => {
  it("passes an app whose secret values are all encrypted", async () => {
    await expectCompliant(RULE, [appIn("prod", [])]);
  });

  it.each(["dev", "qa", "prod"])(
    "reports a plain-text value as mandatory in %s, whatever the stack's enforcement",
    async (stack) => {
      const bad = appIn(stack, [
        { file: `Pulumi.${stack}.yaml`, key: "launchpad:secrets.mapquiz.BETTER_AUTH_SECRET" },
      ]);
      await expectViolation(
        RULE,
        [bad],
        bad.urn,
        new RegExp(
          `^Pulumi\\.${stack}\\.yaml: launchpad:secrets\\.mapquiz\\.BETTER_AUTH_SECRET is stored in plain text`,
        ),
        stack,
      );
    },
  );

  it("cannot be waived by an exemption", () => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-exemptions-")),
      "exemptions.yaml",
    );
    fs.writeFileSync(
      file,
      [
        "exemptions:",
        `  - policy: ${RULE}`,
        '    urn: "*"',
        "    reason: the value will be rotated next sprint",
        '    expires: "2999-01-01"',
        "    environments: [dev]",
        "",
      ].join("\n"),
    );
    try {
      loadExemptions(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        expect.objectContaining({
          key: "exemptions[0].policy",
          message: "this rule blocks at every level and cannot be waived",
        }),
      ]);
    }
  });
});
