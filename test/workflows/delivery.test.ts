import { describe, expect, it } from "vitest";
import { environmentsOf, loadWorkflows, STACKS, stackBranches, workflow, type Step } from "./support";

const workflows = loadWorkflows();
const deploy = workflow("deploy.yml");
const up = workflow("pulumi-up.yml");
const rollback = workflow("rollback.yml");
const drift = workflow("drift.yml");
const pr = workflow("pull-request.yml");

const upJob = up.jobs["up"]!;
const step = (steps: Step[] | undefined, match: (s: Step) => boolean): Step => {
  const found = (steps ?? []).find(match);
  if (!found) throw new Error("no such step");
  return found;
};
const pulumiStep = (steps: Step[] | undefined, command: string): Step =>
  step(steps, (s) => Boolean(s.uses?.startsWith("pulumi/actions@") && s.with?.["command"] === command));

/** The `if` that admits pushes to a profile's branches. */
function refCondition(branches: string[]): string {
  return branches
    .map((b) =>
      b.endsWith("/*")
        ? `startsWith(github.ref, 'refs/heads/${b.slice(0, -1)}')`
        : `github.ref == 'refs/heads/${b}'`,
    )
    .join(" || ");
}

describe("deploy", () => {
  it("is triggered by pushes to exactly the branches the stacks' profiles deploy from", () => {
    const all = STACKS.flatMap((s) => stackBranches(s));
    expect([...deploy.on["push"].branches].sort()).toEqual([...all].sort());
  });

  it("routes each branch to its stack: feature/* → dev, qa → qa, main → prod", () => {
    expect(Object.keys(deploy.jobs).sort()).toEqual([...STACKS].sort());
    for (const stack of STACKS) {
      const job = deploy.jobs[stack]!;
      expect(job.uses).toBe("./.github/workflows/pulumi-up.yml");
      expect(job.with).toEqual({ stack });
      expect(job.if).toBe(refCondition(stackBranches(stack)));
    }
    expect(deploy.jobs["dev"]!.if).toBe("startsWith(github.ref, 'refs/heads/feature/')");
    expect(deploy.jobs["prod"]!.if).toBe("github.ref == 'refs/heads/main'");
  });

  it("runs pulumi up with the policy pack at the stack's levels, behind the stack's environment", () => {
    expect(upJob.environment).toBe("${{ inputs.stack }}");
    expect(environmentsOf(workflows, up, upJob).sort()).toEqual([...STACKS].sort());
    const run = pulumiStep(upJob.steps, "up");
    expect(run.with).toMatchObject({
      "stack-name": "${{ inputs.stack }}",
      policyPacks: "${{ github.workspace }}/launchpad/policies",
      policyPackConfigs: "${{ github.workspace }}/launchpad/policies/config/${{ inputs.stack }}.json",
    });
  });

  it("never runs two updates of one stack at once, and never cancels one that runs", () => {
    expect(upJob.concurrency).toEqual({ group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
    // Deploys and rollbacks share it: both go through pulumi-up.yml.
    expect(rollback.jobs["rollback"]!.uses).toBe("./.github/workflows/pulumi-up.yml");
  });

  it("checks, before the update, that every secret the stack needs is set", () => {
    const preflight = step(upJob.steps, (s) => Boolean(s.run?.includes("--require-secrets")));
    const runIndex = upJob.steps!.indexOf(pulumiStep(upJob.steps, "up"));
    expect(upJob.steps!.indexOf(preflight)).toBeLessThan(runIndex);
  });

  it("reports to Discord whatever the outcome: stack, start time, author, commit", () => {
    const notify = step(upJob.steps, (s) => Boolean(s.run?.includes("discord-notify.js")));
    expect(notify.if).toBe("always()");
    expect(notify.env).toMatchObject({
      DISCORD_WEBHOOK_URL: "${{ secrets.DISCORD_WEBHOOK_URL }}",
      NOTIFY_STATUS: "${{ job.status }}",
      NOTIFY_STACK: "${{ inputs.stack }}",
      NOTIFY_STARTED_AT: "${{ steps.start.outputs.epoch }}",
    });
    expect(String(notify.env!["NOTIFY_AUTHOR"])).toContain("steps.revision.outputs.author");
    expect(upJob.steps![0]!.id).toBe("start");
  });
});

describe("rollback", () => {
  it("is started by hand, for a chosen stack and an optional earlier commit, with a reason", () => {
    const inputs = rollback.on["workflow_dispatch"].inputs;
    expect(Object.keys(rollback.on)).toEqual(["workflow_dispatch"]);
    expect(inputs.stack).toMatchObject({ type: "choice", options: [...STACKS], required: true });
    expect(inputs.revision).toMatchObject({ type: "string", required: false });
    expect(inputs.reason).toMatchObject({ required: true });
    expect(rollback.jobs["rollback"]!.with).toEqual({
      stack: "${{ inputs.stack }}",
      revision: "${{ inputs.revision }}",
      rollback: true,
      reason: "${{ inputs.reason }}",
    });
  });

  it("deploys the previous update's commit by default, and only a commit of the branch the run is on", () => {
    const previous = step(upJob.steps, (s) => s.id === "previous");
    expect(previous.if).toBe("inputs.rollback && inputs.revision == ''");
    expect(previous.run).toContain("pulumi stack history");
    expect(previous.run).toContain("stack-revision.js previous");
    const revision = step(upJob.steps, (s) => s.id === "revision");
    expect(revision.run).toContain('git merge-base --is-ancestor "$sha" "$GITHUB_SHA"');
    expect(revision.run).toContain('git checkout --quiet --detach "$sha"');
    // The revision is checked out before anything installs or runs from it.
    const order = (id: string): number => upJob.steps!.findIndex((s) => s.id === id || s.run === id);
    expect(order("revision")).toBeLessThan(order("npm ci"));
  });
});

describe("drift check", () => {
  const job = drift.jobs["drift"]!;

  it("runs nightly and on demand, for every stack, with read-only credentials", () => {
    expect(drift.on["schedule"]).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(drift.on).toHaveProperty("workflow_dispatch");
    expect(job.strategy?.matrix?.["stack"]).toEqual([...STACKS]);
    expect(environmentsOf(workflows, drift, job)).toEqual(STACKS.map((s) => `${s}-preview`));
  });

  it("compares the cloud with the state without writing either, failing on any difference", () => {
    const check = step(job.steps, (s) => Boolean(s.run?.includes("pulumi refresh")));
    for (const flag of ["--preview-only", "--expect-no-changes", '--stack "$STACK"'])
      expect(check.run).toContain(flag);
    expect(check.run).not.toMatch(/--yes|--skip-preview/);
  });

  it("alerts on Discord when it fails", () => {
    const alert = step(job.steps, (s) => Boolean(s.run?.includes("discord-notify.js")));
    expect(alert.if).toBe("failure()");
    expect(alert.env).toMatchObject({ NOTIFY_ACTION: "drift", NOTIFY_STACK: "${{ matrix.stack }}" });
  });
});

describe("pull request", () => {
  it("installs and tests with .ci/run, which runs npm ci and npm test", () => {
    expect(pr.jobs["test"]!.steps!.some((s) => s.run === ".ci/run")).toBe(true);
  });

  it("audits offline to SARIF and Markdown, uploads both for publishing, and fails on a mandatory violation", () => {
    const audit = pr.jobs["audit"]!;
    const run = step(audit.steps, (s) => s.id === "audit").run!;
    expect(run).toContain("npx launchpad audit --stack all --format sarif --output audit-report/audit.sarif");
    expect(run).toContain("npx launchpad audit --stack all --format markdown --output audit-report/audit.md");
    const upload = step(audit.steps, (s) => Boolean(s.uses?.startsWith("actions/upload-artifact")));
    const publish = workflow("audit-publish.yml").jobs["publish"]!;
    const download = step(publish.steps, (s) => Boolean(s.uses?.startsWith("actions/download-artifact")));
    expect(download.with?.["name"]).toBe(upload.with?.["name"]);
    expect(step(audit.steps, (s) => s.name === "Fail on mandatory violations").if).toBe(
      "steps.audit.outputs.exit-code != '0'",
    );
  });

  it("publishes the SARIF to code scanning and the Markdown as one comment, for pull requests and main", () => {
    const publish = workflow("audit-publish.yml").jobs["publish"]!;
    const uploads = (publish.steps ?? []).filter((s) =>
      s.uses?.startsWith("github/codeql-action/upload-sarif"),
    );
    expect(uploads.map((s) => s.with?.["ref"])).toEqual([
      "refs/pull/${{ steps.comment.outputs.number }}/head",
      "refs/heads/${{ github.event.workflow_run.head_branch }}",
    ]);
    expect(step(publish.steps, (s) => s.id === "comment").run).toBe("node .github/scripts/audit-comment.js");
    expect(pr.on["push"].branches).toEqual(["main"]);
  });

  it("previews each affected stack with the policy pack, commented on the PR and updated in place", () => {
    const preview = pr.jobs["preview"]!;
    expect(preview.needs).toBe("changes");
    expect(preview.strategy?.matrix?.["stack"]).toBe("${{ fromJSON(needs.changes.outputs.stacks) }}");
    expect(pulumiStep(preview.steps, "preview").with).toMatchObject({
      "stack-name": "${{ matrix.stack }}",
      policyPacks: "${{ github.workspace }}/launchpad/policies",
      policyPackConfigs: "${{ github.workspace }}/launchpad/policies/config/${{ matrix.stack }}.json",
      "comment-on-pr": true,
      "edit-pr-comment": true,
    });
    const changes = pr.jobs["changes"]!;
    expect(step(changes.steps, (s) => s.id === "affected").run).toBe(
      "git diff --name-only HEAD^1 HEAD | node .github/scripts/affected-stacks.js",
    );
  });
});
