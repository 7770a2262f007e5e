import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readLayeredConfig } from "../../infra/config";
import { parseYamlFile } from "../../infra/config/yaml-files";
import { copyProject, editFile } from "../support/config-fixtures";

describe("config files are parsed once while their text is unchanged", () => {
  it("hands back the same parse for the same text, and parses an edited file afresh", () => {
    const dir = copyProject();
    const file = path.join(dir, "Pulumi.prod.yaml");
    const first = parseYamlFile(file);
    expect(parseYamlFile(file)).toBe(first);

    editFile(dir, "Pulumi.prod.yaml", "logRetentionDays: 90", "logRetentionDays: 120");
    const edited = parseYamlFile(file);
    expect(edited).not.toBe(first);
    expect(edited?.doc.getIn(["config", "launchpad:environment", "logRetentionDays"])).toBe(120);
    expect(readLayeredConfig("prod", dir).values["launchpad:environment"]).toMatchObject({
      logRetentionDays: 120,
    });
  });

  it("gives each reader its own copy of the values, so one reader's change reaches no other", () => {
    const dir = copyProject();
    const mine = readLayeredConfig("prod", dir).values["launchpad:environment"] as Record<string, unknown>;
    mine["logRetentionDays"] = 1;
    expect(readLayeredConfig("prod", dir).values["launchpad:environment"]).toMatchObject({
      logRetentionDays: 90,
    });
  });

  it("says a missing file is missing", () => {
    expect(parseYamlFile(path.join(copyProject(), "Pulumi.staging.yaml"))).toBeUndefined();
  });
});
