import { describe, expect, it } from "vitest";
import { workflow, type Step } from "./support";

const find = (steps: Step[] | undefined, match: (s: Step) => boolean): Step => {
  const found = (steps ?? []).find(match);
  if (!found) throw new Error("step not found");
  return found;
};

describe("the plan diff on pull requests", () => {
  it("runs in the read-only audit job, against the base commit it fetches, into the uploaded reports", () => {
    const audit = workflow("pull-request.yml").jobs["audit"]!;
    expect(audit.permissions).toEqual({ contents: "read" });
    const checkout = find(audit.steps, (s) => Boolean(s.uses?.startsWith("actions/checkout")));
    expect(checkout.with?.["fetch-depth"]).toBe(2);
    const diff = find(audit.steps, (s) => Boolean(s.run?.includes("launchpad plan --diff")));
    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.run).toContain(
      "npx launchpad plan --diff HEAD^1 --stack all --format markdown >audit-report/plan-diff.md",
    );
    const upload = find(audit.steps, (s) => Boolean(s.uses?.startsWith("actions/upload-artifact")));
    expect(upload.with?.["path"]).toBe("audit-report/");
  });

  it("is posted by the publishing workflow, which never runs the pull request's code", () => {
    const publish = workflow("audit-publish.yml").jobs["publish"]!;
    const comment = find(publish.steps, (s) => s.id === "plan-diff-comment");
    expect(comment.run).toBe("node .github/scripts/audit-comment.js");
    expect(comment.env?.["REPORT_FILE"]).toBe("plan-diff.md");
    expect(comment.if).toBe("github.event.workflow_run.event == 'pull_request'");
    const checkout = find(publish.steps, (s) => Boolean(s.uses?.startsWith("actions/checkout")));
    expect(checkout.with?.["sparse-checkout"]).toBe(".github/scripts");
  });
});
