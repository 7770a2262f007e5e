import * as fs from "node:fs";
import * as path from "node:path";
import { validateAction, validateWorkflow, type ValidationState } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { ACTIONS_DIR, actionDirs, readWorkflow, WORKFLOWS_DIR, workflowFiles } from "./support";

// @action-validator/core checks YAML against SchemaStore's github-workflow and github-action JSON
// schemas, compiled into its WebAssembly module: no network.

/** The validator's errors, flattened to readable lines. */
function problems(state: ValidationState): string[] {
  return state.errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`);
}

describe("workflow files", () => {
  it("are the delivery workflows of the project", () => {
    expect(workflowFiles()).toEqual([
      "audit-publish.yml",
      "backup.yml",
      "deploy.yml",
      "drift.yml",
      "pull-request.yml",
      "pulumi-up.yml",
      "rollback.yml",
    ]);
  });

  it.each(workflowFiles())("%s parses as YAML without duplicate keys", (file) => {
    const doc = parseDocument(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8"), { uniqueKeys: true });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.warnings.map((e) => e.message)).toEqual([]);
  });

  it.each(workflowFiles())("%s validates against the GitHub Actions workflow schema", (file) => {
    const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8"));
    expect(state.actionType).toBe("workflow");
    expect(problems(state)).toEqual([]);
  });

  it.each(actionDirs())(".github/actions/%s validates against the GitHub Actions action schema", (dir) => {
    const state = validateAction(fs.readFileSync(path.join(ACTIONS_DIR, dir, "action.yml"), "utf8"));
    expect(state.actionType).toBe("action");
    expect(problems(state)).toEqual([]);
  });
});

describe("the schema validator", () => {
  it("rejects a workflow with a misspelt job key, an unknown permission and a bad trigger", () => {
    const { file: _file, ...wf } = readWorkflow("pull-request.yml");
    const broken = JSON.parse(JSON.stringify(wf));
    broken.jobs.test["run-on"] = broken.jobs.test["runs-on"];
    delete broken.jobs.test["runs-on"];
    expect(problems(validateWorkflow(stringify(broken))).length).toBeGreaterThan(0);

    const perms = JSON.parse(JSON.stringify(wf));
    perms.jobs.audit.permissions = { "pull-request": "write" };
    expect(problems(validateWorkflow(stringify(perms))).length).toBeGreaterThan(0);

    const trigger = JSON.parse(JSON.stringify(wf));
    trigger.on = { pull_requests: {} };
    expect(problems(validateWorkflow(stringify(trigger))).length).toBeGreaterThan(0);
  });

  it("rejects a composite action step without a shell", () => {
    const action = `name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n`;
    expect(problems(validateAction(action)).length).toBeGreaterThan(0);
  });
});
