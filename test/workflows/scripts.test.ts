import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, runScript, SCRIPTS } from "./script-harness";
import { ROOT } from "./support";

describe("affected-stacks.js", () => {
  const affected = (files: string[]): string[] => {
    const run = spawnSync(process.execPath, [path.join(SCRIPTS, "affected-stacks.js")], {
      cwd: ROOT,
      input: files.join("\n"),
      encoding: "utf8",
      env: { PATH: process.env["PATH"]! },
    });
    return JSON.parse(run.stdout) as string[];
  };

  it("maps a stack file or its policy config to that stack", () => {
    expect(affected(["Pulumi.qa.yaml"])).toEqual(["qa"]);
    expect(affected(["policies/config/prod.json", "Pulumi.dev.yaml"])).toEqual(["dev", "prod"]);
  });

  it("maps the catalog, the program, the pack and the dependencies to every stack", () => {
    for (const file of [
      "Pulumi.yaml",
      "infra/components/frontend.ts",
      "policies/rules/strict-cors.ts",
      "package-lock.json",
    ])
      expect(affected([file])).toEqual(["dev", "qa", "prod"]);
  });

  it("maps docs, tests, workflows and the offline CLI to no stack", () => {
    expect(
      affected([
        "README.md",
        "docs/runbooks/rollback.md",
        "test/x.test.ts",
        ".github/workflows/deploy.yml",
        "tools/cli/main.ts",
      ]),
    ).toEqual([]);
  });

  it("writes the matrix to GITHUB_OUTPUT", async () => {
    const { output } = await runScript("affected-stacks.js", [], { input: "Pulumi.prod.yaml\n" });
    expect(output).toBe('stacks=["prod"]\n');
  });
});

describe("stack-revision.js", () => {
  const history = [
    { version: 5, kind: "update", result: "failed", environment: { "git.head": "eeee" } },
    { version: 4, kind: "update", result: "succeeded", environment: { "git.head": "dddd" } },
    { version: 3, kind: "refresh", result: "succeeded", environment: { "git.head": "cccc" } },
    { version: 2, kind: "update", result: "succeeded", environment: { "git.head": "dddd" } },
    {
      version: 1,
      kind: "update",
      result: "succeeded",
      environment: { "git.head": "aaaa", "git.dirty": "false" },
    },
  ];

  it("names the commit of the latest successful update, and of the one before it from another commit", async () => {
    const current = await runScript("stack-revision.js", ["current"], { input: JSON.stringify(history) });
    expect(current.stdout.trim()).toBe("dddd");
    const previous = await runScript("stack-revision.js", ["previous"], { input: JSON.stringify(history) });
    expect(previous.stdout.trim()).toBe("aaaa");
    expect(previous.output).toBe("sha=aaaa\n");
  });

  it("never picks an update made from a checkout with local changes as a rollback target", async () => {
    const dirty = [
      ...history,
      { version: 0, kind: "update", result: "succeeded", environment: { "git.head": "ffff" } },
    ];
    dirty[4] = { ...dirty[4]!, environment: { "git.head": "aaaa", "git.dirty": "true" } };
    const previous = await runScript("stack-revision.js", ["previous"], { input: JSON.stringify(dirty) });
    expect(previous.stdout.trim()).toBe("ffff");
  });

  it("names nothing for a stack never deployed", async () => {
    const none = await runScript("stack-revision.js", ["previous"], { input: "[]" });
    expect(none).toMatchObject({ code: 0, output: "sha=\n" });
  });
});

describe("discord-notify.js", () => {
  const env = (url: string): Record<string, string> => ({
    DISCORD_WEBHOOK_URL: `${url}/api/webhooks/1/token`,
    NOTIFY_ACTION: "deploy",
    NOTIFY_STATUS: "failure",
    NOTIFY_STACK: "prod",
    NOTIFY_STARTED_AT: String(Math.floor(Date.now() / 1000) - 125),
    NOTIFY_AUTHOR: "Ada @everyone",
    NOTIFY_COMMIT: "0123456789abcdef0123",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "fleet/launchpad",
    GITHUB_RUN_ID: "42",
  });

  it("posts the stack, the duration, the commit author and a link to the run", async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    const run = await runScript("discord-notify.js", [], { env: env(discord.url) });
    expect(run.code).toBe(0);
    expect(discord.requests).toHaveLength(1);
    const [embed] = discord.requests[0]!.body.embeds;
    const field = (name: string): string =>
      embed.fields.find((f: { name: string }) => f.name === name)?.value;
    expect(embed.title).toBe("❌ prod: Échec du déploiement");
    expect(embed.url).toBe("https://github.com/fleet/launchpad/actions/runs/42");
    expect(field("Stack")).toBe("prod");
    expect(field("Duration")).toMatch(/^2m [0-5]\ds$/);
    expect(field("Author")).toBe("Ada @everyone");
    expect(field("Commit")).toContain("0123456789ab");
    expect(field("Run")).toBe("https://github.com/fleet/launchpad/actions/runs/42");
    // Nobody is pinged, whatever an author's name or a reason says.
    expect(discord.requests[0]!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('says "Déploiement réussi" for a deploy that succeeded', async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    await runScript("discord-notify.js", [], { env: { ...env(discord.url), NOTIFY_STATUS: "success" } });
    expect(discord.requests[0]!.body.embeds[0].title).toBe("✅ prod: Déploiement réussi");
  });

  it("names a CI run by its repository and workflow, with its outcome, duration, author and link", async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    await runScript("discord-notify.js", [], {
      env: { ...env(discord.url), NOTIFY_ACTION: "ci", NOTIFY_STACK: "", GITHUB_WORKFLOW: "CI" },
    });
    const [embed] = discord.requests[0]!.body.embeds;
    const names = embed.fields.map((f: { name: string }) => f.name);
    expect(embed.title).toBe("❌ fleet/launchpad · CI: CI en échec");
    expect(names).toEqual(["Duration", "Author", "Commit", "Run"]);
  });

  it("reports success and rollbacks in their own words", async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    await runScript("discord-notify.js", [], {
      env: {
        ...env(discord.url),
        NOTIFY_ACTION: "rollback",
        NOTIFY_STATUS: "success",
        NOTIFY_DETAIL: "by ada: bad deploy",
      },
    });
    const [embed] = discord.requests[0]!.body.embeds;
    expect(embed.title).toBe("✅ prod: rolled back");
    expect(embed.fields.at(-1)).toEqual({ name: "Details", value: "by ada: bad deploy" });
  });

  it("warns, without failing the job or printing the webhook, when Discord refuses or none is set", async () => {
    const discord = await fakeServer(() => ({ status: 500 }));
    const refused = await runScript("discord-notify.js", [], { env: env(discord.url) });
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain("::warning::Discord notification not sent: Discord answered 500");
    expect(refused.stdout + refused.stderr).not.toContain("token");
    const unset = await runScript("discord-notify.js", [], {
      env: { ...env(discord.url), DISCORD_WEBHOOK_URL: "" },
    });
    expect(unset).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("::warning::DISCORD_WEBHOOK_URL is not set"),
    });
  });
});

describe("audit-comment.js", () => {
  function reportDir(markdown?: string, number = 7): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-audit-"));
    fs.writeFileSync(path.join(dir, "pull-request.json"), JSON.stringify({ number }));
    if (markdown !== undefined) fs.writeFileSync(path.join(dir, "audit.md"), markdown);
    return dir;
  }

  /** A GitHub API stand-in for one pull request at `head`, holding its issue comments. */
  async function fakeGitHub(head: string) {
    const comments: Array<{ id: number; body: string; user: { login: string } }> = [
      { id: 1, body: "<!-- launchpad-audit -->\nforged by a user", user: { login: "mallory" } },
    ];
    const api = await fakeServer((req) => {
      if (req.method === "GET" && req.url === "/repos/fleet/launchpad/pulls/7")
        return { body: { head: { sha: head } } };
      if (req.method === "GET" && req.url.startsWith("/repos/fleet/launchpad/issues/7/comments"))
        return { body: comments };
      if (req.method === "POST" && req.url === "/repos/fleet/launchpad/issues/7/comments") {
        comments.push({
          id: comments.length + 1,
          body: req.body.body,
          user: { login: "github-actions[bot]" },
        });
        return { status: 201 };
      }
      const patch = /^\/repos\/fleet\/launchpad\/issues\/comments\/(\d+)$/.exec(req.url);
      if (req.method === "PATCH" && patch) {
        comments.find((c) => c.id === Number(patch[1]))!.body = req.body.body;
        return {};
      }
      return { status: 404 };
    });
    return { ...api, comments };
  }

  const env = (url: string, dir: string, head = "abc123"): Record<string, string> => ({
    REPORT_DIR: dir,
    HEAD_SHA: head,
    RUN_URL: "https://github.com/fleet/launchpad/actions/runs/9",
    GITHUB_TOKEN: "t0ken",
    GITHUB_API_URL: url,
    GITHUB_REPOSITORY: "fleet/launchpad",
  });

  it("posts the report once, then updates that comment on later runs instead of adding another", async () => {
    const github = await fakeGitHub("abc123");
    const first = await runScript("audit-comment.js", [], {
      env: env(github.url, reportDir("## launchpad audit\nv1\n")),
    });
    expect(first).toMatchObject({ code: 0, output: "number=7\n" });
    const second = await runScript("audit-comment.js", [], {
      env: env(github.url, reportDir("## launchpad audit\nv2\n")),
    });
    expect(second.stdout).toContain("audit comment updated on #7");
    const mine = github.comments.filter((c) => c.user.login === "github-actions[bot]");
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toBe("<!-- launchpad-audit -->\n## launchpad audit\nv2\n");
    expect(github.comments[0]!.body).toContain("forged by a user");
    expect(
      github.requests.every((r) => r.method !== "GET" || r.url.startsWith("/repos/fleet/launchpad/")),
    ).toBe(true);
  });

  it("refuses to comment when the report names a pull request that is not at the run's commit", async () => {
    const github = await fakeGitHub("someone-elses-head");
    const run = await runScript("audit-comment.js", [], { env: env(github.url, reportDir("## report\n")) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pull request #7 is not at abc123");
    expect(github.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(run.output).toBe("");
  });

  it("posts the plan diff as a comment of its own, next to the audit's, each updated in place", async () => {
    const github = await fakeGitHub("abc123");
    const dir = reportDir("## launchpad audit\nv1\n");
    fs.writeFileSync(path.join(dir, "plan-diff.md"), "## launchpad plan --diff\nd1\n");
    await runScript("audit-comment.js", [], { env: env(github.url, dir) });
    const diff = await runScript("audit-comment.js", [], {
      env: { ...env(github.url, dir), REPORT_FILE: "plan-diff.md" },
    });
    expect(diff.stdout).toContain("plan diff comment posted on #7");
    fs.writeFileSync(path.join(dir, "plan-diff.md"), "## launchpad plan --diff\nd2\n");
    await runScript("audit-comment.js", [], {
      env: { ...env(github.url, dir), REPORT_FILE: "plan-diff.md" },
    });
    const mine = github.comments.filter((c) => c.user.login === "github-actions[bot]").map((c) => c.body);
    expect(mine).toEqual([
      "<!-- launchpad-audit -->\n## launchpad audit\nv1\n",
      "<!-- launchpad-plan-diff -->\n## launchpad plan --diff\nd2\n",
    ]);
  });

  it("posts only the reports it knows: a REPORT_FILE naming anything else is refused", async () => {
    const github = await fakeGitHub("abc123");
    const dir = reportDir("## report\n");
    const run = await runScript("audit-comment.js", [], {
      env: { ...env(github.url, dir), REPORT_FILE: "../pull-request.json" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown report "../pull-request.json"');
    expect(github.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("says so when the audit produced no report", async () => {
    const github = await fakeGitHub("abc123");
    await runScript("audit-comment.js", [], { env: env(github.url, reportDir(undefined)) });
    expect(github.comments.at(-1)!.body).toContain("The audit produced no report");
  });
});
