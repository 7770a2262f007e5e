/**
 * Each deploy and rollback reaches the Discord channel of every app of its stack: the step of
 * pulumi-up.yml, and .github/scripts/discord-notify-apps.js run as that step runs it, on the plan the
 * workflow writes, with a stand-in `pulumi` CLI answering `config get` and a local stand-in for Discord.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { setSecretCommand } from "../../infra/config/secrets";
import { catalogApps } from "../support/catalog";
import { fakeServer, runScript, writePlanJson } from "./script-harness";
import { workflow, type Step } from "./support";

const STACK = "prod";
const STARTED_AT = Math.floor(Date.now() / 1000) - 125;

let planFile: string;
beforeAll(() => {
  planFile = writePlanJson(STACK);
});

/** A `pulumi` on PATH that logs its arguments and directory, and answers each app's webhook (or fails for `failApp`). */
function fakePulumi(discordUrl: string, failApp = ""): { bin: string; log: string; project: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-pulumi-"));
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-project-"));
  const log = path.join(bin, "calls.log");
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    [
      "#!/bin/sh",
      `echo "$(pwd) $*" >> '${log}'`,
      "app=${6#launchpad:secrets.}; app=${app%%.*}",
      `[ "$app" = '${failApp}' ] && { echo "error: configuration key not found" >&2; exit 255; }`,
      `echo "${discordUrl}/api/webhooks/$app/token-of-$app"`,
    ].join("\n") + "\n",
    { mode: 0o755 },
  );
  return { bin, log, project };
}

async function run(discordStatus: (url: string) => number, failApp = "") {
  const discord = await fakeServer((req) => ({ status: discordStatus(req.url) }));
  const pulumi = fakePulumi(discord.url, failApp);
  const result = await runScript("discord-notify-apps.js", [], {
    env: {
      PATH: `${pulumi.bin}:${process.env["PATH"]}`,
      PULUMI_PROJECT_DIR: pulumi.project,
      DEPLOY_PLAN: planFile,
      NOTIFY_ACTION: "deploy",
      NOTIFY_STATUS: "success",
      NOTIFY_STACK: STACK,
      NOTIFY_STARTED_AT: String(STARTED_AT),
      NOTIFY_AUTHOR: "Ada Lovelace",
      NOTIFY_COMMIT: "0123456789abcdef0123",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "fleet/launchpad",
      GITHUB_RUN_ID: "42",
    },
  });
  const calls = fs.readFileSync(pulumi.log, "utf8").trim().split("\n");
  return { ...result, discord, calls, project: pulumi.project };
}

/** Every webhook URL the run saw appears only on the line that masks it. */
function expectMasked(stdout: string): void {
  for (const line of stdout.split("\n").filter((l) => l.includes("/api/webhooks/")))
    expect(line).toMatch(/^::add-mask::/);
}

describe("discord-notify-apps.js", () => {
  it("tells each app's own channel, once, with the outcome, duration, author and run link", async () => {
    const apps = catalogApps(STACK);
    const result = await run(() => 204);
    expect(result.code).toBe(0);
    const byPath = new Map(result.discord.requests.map((r) => [r.url, r.body]));
    // One message per app, each at its own webhook: no app missing, none told twice.
    expect([...byPath.keys()].sort()).toEqual(
      Object.keys(apps)
        .map((app) => `/api/webhooks/${app}/token-of-${app}`)
        .sort(),
    );
    expect(result.discord.requests).toHaveLength(Object.keys(apps).length);
    for (const app of Object.keys(apps)) {
      const message = byPath.get(`/api/webhooks/${app}/token-of-${app}`);
      const [embed] = message.embeds;
      expect(embed.title).toBe(`✅ ${app} · ${STACK}: Déploiement réussi`);
      const field = (name: string) => embed.fields.find((f: { name: string }) => f.name === name)?.value;
      expect(field("Duration")).toMatch(/^2m 0[5-9]s$/);
      expect(field("Author")).toBe("Ada Lovelace");
      expect(field("Run")).toBe("https://github.com/fleet/launchpad/actions/runs/42");
      expect(message.allowed_mentions).toEqual({ parse: [] });
    }
    expectMasked(result.stdout);
  });

  it("reads each webhook from the stack secret the pre-flight tells operators to set, in the project's directory", async () => {
    const apps = catalogApps(STACK);
    const { calls, project } = await run(() => 204);
    const expected = Object.entries(apps).map(([app, spec]) => {
      // `pulumi config set --secret --stack S --path 'KEY' <value>` → KEY
      const key = setSecretCommand(STACK, app, spec.alerts.webhookSecret).match(/--path '([^']+)'/)![1];
      return `${fs.realpathSync(project)} config get --stack ${STACK} --path ${key}`;
    });
    expect(calls).toEqual(expected);
  });

  it("goes on past a webhook it cannot read or a channel Discord refuses, naming the app, never the URL", async () => {
    const [first, second] = Object.keys(catalogApps(STACK));
    const result = await run((url) => (url.includes(`/${second}/`) ? 500 : 204), first);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `::warning::${first}: its channel's webhook (launchpad:secrets.${first}.`,
    );
    expect(result.stdout).toContain(
      `::warning::${second}: Discord notification not sent: Discord answered 500`,
    );
    expect(result.discord.requests.some((r) => r.url.includes(`/${first}/`))).toBe(false);
    expect(result.discord.requests.length).toBe(Object.keys(catalogApps(STACK)).length - 1);
    expectMasked(result.stdout);
  });
});

describe("the app channels step of pulumi-up.yml", () => {
  const job = workflow("pulumi-up.yml").jobs["up"]!;
  const steps = job.steps!;
  const tell = steps.find((s) => s.run?.includes("discord-notify-apps.js")) as Step & {
    "continue-on-error"?: boolean;
  };
  const up = steps.find((s) => s.id === "up")!;

  it("runs after the update, whatever its outcome, and never fails the deploy", () => {
    expect(tell.run).toBe("node delivery/.github/scripts/discord-notify-apps.js");
    expect(steps.indexOf(tell)).toBeGreaterThan(steps.indexOf(up));
    expect(tell.if).toBe("always() && (steps.up.outcome == 'success' || steps.up.outcome == 'failure')");
    expect(tell["continue-on-error"]).toBe(true);
    expect(tell.env).toMatchObject({
      NOTIFY_STATUS: "${{ steps.up.outcome }}",
      NOTIFY_STACK: "${{ inputs.stack }}",
    });
  });

  it("reads the stack's secrets where pulumi up ran, with its backend token, and the preflight's plan", () => {
    expect(tell.env!["PULUMI_PROJECT_DIR"]).toBe(up.with!["work-dir"]);
    expect(tell.env!["PULUMI_ACCESS_TOKEN"]).toBe(up.env!["PULUMI_ACCESS_TOKEN"]);
    expect(tell.env!["DEPLOY_PLAN"]).toBe("${{ runner.temp }}/plan.json");
    expect(tell.run).not.toContain("secrets.");
  });
});
