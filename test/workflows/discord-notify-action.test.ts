/**
 * The composite action the apps' repositories call (.github/actions/discord-notify), run as GitHub runs
 * it: its step's environment resolved from the action's inputs and the event, its script under bash
 * from the action's own folder, `gh` answering the run's start, and a local stand-in for Discord. What
 * reaches the channel is what Discord renders: an embed with the outcome, duration, author and link.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer } from "./script-harness";
import { loadActions, ROOT } from "./support";

const action = loadActions().find((a) => a.dir === "discord-notify")!;
const [notify] = action.runs.steps;

type Context = Record<string, unknown>;

/** The value of `a.b.c` in the expression context. */
function lookup(context: Context, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Context)[k] : undefined), context);
}

/** `${{ a || b }}` as GitHub evaluates it for the paths and `||` the action's env uses. */
function evaluate(value: string, context: Context): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    for (const operand of expr.split("||").map((o) => o.trim())) {
      const resolved = lookup(context, operand);
      if (resolved) return String(resolved);
    }
    return "";
  });
}

/** Runs the action's step with `inputs` on `event`; `gh` prints `started` (or fails without it). */
async function runAction(
  inputs: Record<string, string>,
  event: Context,
  started: string | undefined,
): Promise<{ code: number | null; stdout: string }> {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-gh-"));
  fs.writeFileSync(path.join(bin, "gh"), started ? `#!/bin/sh\necho ${started}\n` : "#!/bin/sh\nexit 1\n", {
    mode: 0o755,
  });
  const withDefaults = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, spec]) => [name, inputs[name] ?? spec.default ?? ""]),
  );
  const context: Context = {
    inputs: withDefaults,
    github: { token: "ghs_run_token", actor: "ci-bot", sha: "feedfacefeedfacefeed", event },
  };
  const env = Object.fromEntries(
    Object.entries(notify!.env ?? {}).map(([k, v]) => [k, evaluate(String(v), context)]),
  );
  return new Promise((resolve) => {
    const child = spawn("bash", ["-e", "-c", notify!.run!], {
      cwd: ROOT,
      env: {
        PATH: `${bin}:${process.env["PATH"]}`,
        GITHUB_ACTION_PATH: path.join(ROOT, ".github", "actions", "discord-notify"),
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REPOSITORY: "mapquiz/mapquiz-backend",
        GITHUB_RUN_ID: "77",
        GITHUB_WORKFLOW: "CI",
        ...env,
      },
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stdout += d));
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

/** The run started `seconds` ago, as the Actions API writes it. */
const ago = (seconds: number): string =>
  new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");

const field = (embed: { fields: Array<{ name: string; value: string }> }, name: string) =>
  embed.fields.find((f) => f.name === name)?.value;

describe("the discord-notify action of the apps' repositories", () => {
  it("posts a CI run's outcome, its duration since the run started, the commit's author and the run's link", async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    const run = await runAction(
      { "webhook-url": `${discord.url}/api/webhooks/1/t`, status: "failure" },
      { head_commit: { author: { name: "Grace Hopper" } } },
      ago(185),
    );
    expect(run.code, run.stdout).toBe(0);
    expect(discord.requests).toHaveLength(1);
    const [embed] = discord.requests[0]!.body.embeds;
    expect(embed.title).toBe("❌ mapquiz/mapquiz-backend · CI: CI en échec");
    expect(field(embed, "Duration")).toMatch(/^3m 0[0-9]s$/);
    expect(field(embed, "Author")).toBe("Grace Hopper");
    expect(field(embed, "Commit")).toBe("feedfacefeed (mapquiz/mapquiz-backend)");
    expect(field(embed, "Run")).toBe("https://github.com/mapquiz/mapquiz-backend/actions/runs/77");
    expect(embed.url).toBe(field(embed, "Run"));
  });

  it('says "Déploiement réussi" for a deploy, with its stack, and names a pull request\'s author and head', async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    await runAction(
      {
        "webhook-url": `${discord.url}/api/webhooks/1/t`,
        status: "success",
        action: "deploy",
        stack: "prod",
      },
      { pull_request: { user: { login: "ada" }, head: { sha: "0123456789abcdef" } } },
      ago(42),
    );
    const [embed] = discord.requests[0]!.body.embeds;
    expect(embed.title).toBe("✅ prod: Déploiement réussi");
    expect(field(embed, "Stack")).toBe("prod");
    expect(field(embed, "Author")).toBe("ada");
    expect(field(embed, "Commit")).toContain("0123456789ab");
    expect(field(embed, "Duration")).toMatch(/^4[0-9]s$/);
  });

  it("still posts, with an unknown duration, when the run's start cannot be read", async () => {
    const discord = await fakeServer(() => ({ status: 204 }));
    const run = await runAction(
      { "webhook-url": `${discord.url}/api/webhooks/1/t`, status: "success" },
      {},
      undefined,
    );
    expect(run.code).toBe(0);
    const [embed] = discord.requests[0]!.body.embeds;
    expect(field(embed, "Duration")).toBe("?");
    expect(field(embed, "Author")).toBe("ci-bot");
  });
});
