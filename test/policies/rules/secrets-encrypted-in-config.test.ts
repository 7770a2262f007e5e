import { describe, it } from "vitest";
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
});
