/**
 * The scheduled backups: .github/workflows/backup.yml is what the catalog renders (an app added or
 * rescheduled shows here), each stack and app runs in its own GitHub environment holding exactly
 * the app's credentials under the names `launchpad backup` reads, and the schedule that started a
 * run picks the backup or the cleanup.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { SERVICE_KEY_ENV } from "../../infra/providers/supabase/storage";
import {
  environmentName,
  formattedWorkflow,
  renderWorkflow,
  scheduledBackups,
  scheduleLines,
  STACKS,
  WORKFLOW_FILE,
} from "../../tools/backup/workflow";
import { zoneOffsets, wallTimeAt } from "../../infra/schedule/zone";
import { deliveryEnvironments, readWorkflow, ROOT, secretsIn } from "../workflows/support";
import { backedUpApps } from "./support";

const workflow = readWorkflow(path.basename(WORKFLOW_FILE));
const job = workflow.jobs["backup"]!;
const apps = backedUpApps();

describe(WORKFLOW_FILE, () => {
  it("is what the catalog renders (npm run workflows)", async () => {
    expect(fs.readFileSync(path.join(ROOT, WORKFLOW_FILE), "utf8")).toBe(await formattedWorkflow());
  });

  it("would change with the catalog: an app's backup dropped or rescheduled", () => {
    const backups = scheduledBackups();
    const current = renderWorkflow(backups);
    expect(renderWorkflow(backups.slice(1))).not.toBe(current);
    const moved = { ...backups[0]!, schedule: "15 1 * * *" };
    const rendered = renderWorkflow([moved, ...backups.slice(1)]);
    for (const line of scheduleLines(moved).backup) expect(rendered).toContain(line);
    expect(renderWorkflow([{ ...backups[0]!, timeZone: "UTC" }, ...backups.slice(1)])).not.toBe(current);
  });

  it("runs every stack and app with a backup declaration, at its schedules", () => {
    const matrix = job.strategy!.matrix as {
      stack: string[];
      app: string[];
      include: Array<Record<string, string>>;
    };
    expect(matrix.stack).toEqual([...STACKS]);
    expect(matrix.app.sort()).toEqual(apps.map((a) => a.name).sort());
    const crons = (workflow.on["schedule"] as Array<{ cron: string }>).map((s) => s.cron);
    for (const app of apps) {
      const backup = app.spec.backup!;
      const entry = matrix.include.find((e) => e["app"] === app.name)!;
      expect(entry).toMatchObject({
        "time-zone": backup.timeZone,
        "backup-schedule": backup.schedule,
        "cleanup-schedule": backup.cleanupSchedule,
      });
      // One UTC line per offset of the zone, each read back in the zone as the declared local time.
      for (const [kind, declared] of [
        ["backup", backup.schedule],
        ["cleanup", backup.cleanupSchedule],
      ] as const) {
        const lines = entry[`${kind}-crons`]!.split("|");
        expect(lines).toHaveLength(zoneOffsets(backup.timeZone).length);
        for (const line of lines) {
          expect(crons).toContain(line);
          const [minute, hour] = line.split(" ").map(Number) as [number, number];
          const local = wallTimeAt(new Date(Date.UTC(2026, 0, 5, hour, minute)), backup.timeZone);
          expect(local.minute).toBe(Number(declared.split(" ")[0]));
        }
      }
    }
  });

  it("lets a scheduled run through only past the gate, a manual one always", () => {
    const gate = job.steps!.find((s) => s.id === "gate")!;
    expect(gate.if).toContain("github.event_name == 'schedule'");
    expect(gate.run).toContain("npx tsx tools/backup/schedule-gate.ts");
    expect(gate.env).toMatchObject({
      FIRED_SCHEDULE: "${{ github.event.schedule }}",
      BACKUP_TIME_ZONE: "${{ matrix.time-zone }}",
    });
    const steps = job.steps!;
    const run = steps.filter((s) => s.run?.includes("launchpad backup"));
    expect(run).toHaveLength(2);
    for (const step of run) {
      expect(steps.indexOf(step)).toBeGreaterThan(steps.indexOf(gate));
      expect(step.if).toContain("(github.event_name != 'schedule' || steps.gate.outputs.due == 'true')");
    }
  });
});

describe("the backup environments", () => {
  const declared = deliveryEnvironments();
  const backupEnvironments = Object.entries(declared.environments).filter(([, e]) => e.role === "backup");

  it("are one per stack and app, holding the app's admin URL, the service key and the app's webhook", () => {
    const expected = STACKS.flatMap((stack) =>
      apps.map((app) => [
        environmentName(stack, app.name),
        {
          stack,
          role: "backup",
          app: app.name,
          secrets: [app.spec.database!.adminUrlSecret, SERVICE_KEY_ENV, app.spec.alerts.webhookSecret].sort(),
        },
      ]),
    );
    const actual = backupEnvironments.map(([name, e]) => [name, { ...e, secrets: [...e.secrets].sort() }]);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  it("are the job's environment, whose steps read exactly those secrets", () => {
    expect(job.environment).toBe(environmentName("${{ matrix.stack }}", "${{ matrix.app }}"));
    for (const [, env] of backupEnvironments) {
      expect(secretsIn(job.steps)).toEqual([...env.secrets].sort());
    }
  });

  it("reach launchpad backup under the variables it reads, and the alert under the webhook", () => {
    const run = job.steps!.filter((s) => s.run?.includes("launchpad backup"));
    expect(run).toHaveLength(2);
    for (const step of run) {
      for (const app of apps)
        expect(step.env![app.spec.database!.adminUrlSecret]).toBe(
          `\${{ secrets.${app.spec.database!.adminUrlSecret} }}`,
        );
      expect(step.env![SERVICE_KEY_ENV]).toBe(`\${{ secrets.${SERVICE_KEY_ENV} }}`);
    }
    const alert = job.steps!.find((s) => s.run === "node .github/scripts/discord-notify.js")!;
    expect(alert.if).toMatch(/^failure\(\)/);
    for (const app of apps)
      expect(alert.env![app.spec.alerts.webhookSecret]).toBe(
        `\${{ secrets.${app.spec.alerts.webhookSecret} }}`,
      );
  });
});

describe("what a run does", () => {
  const script = job.steps!.find((s) => s.id === "what")!.run!;
  const app = apps[0]!;

  function decide(env: Record<string, string>): string {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "launchpad-what-")), "out");
    fs.writeFileSync(out, "");
    const entry = (job.strategy!.matrix as { include: Array<Record<string, string>> }).include.find(
      (e) => e["app"] === app.name,
    )!;
    const base = {
      STACK: "dev",
      APP: app.name,
      BACKUP_SCHEDULE: entry["backup-schedule"]!,
      CLEANUP_SCHEDULE: entry["cleanup-schedule"]!,
      BACKUP_CRONS: entry["backup-crons"]!,
      CLEANUP_CRONS: entry["cleanup-crons"]!,
    };
    const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
      env: { PATH: process.env["PATH"], GITHUB_OUTPUT: out, ...base, ...env },
    });
    expect(result.status).toBe(0);
    const output = fs.readFileSync(out, "utf8");
    const declared = /^declared=(.*)$/m.exec(output)![1]!;
    const action = /^action=(.*)$/m.exec(output)![1]!;
    return declared ? `${action} ${declared}` : action;
  }

  it("backs up at either UTC line of the backup schedule, cleans up at the cleanup's, nothing at another time", () => {
    const lines = scheduleLines({ ...app.spec.backup!, app: app.name, secrets: ["", "", ""] });
    for (const line of lines.backup)
      expect(decide({ EVENT: "schedule", SCHEDULE: line })).toBe(`backup ${app.spec.backup!.schedule}`);
    for (const line of lines.cleanup)
      expect(decide({ EVENT: "schedule", SCHEDULE: line })).toBe(
        `cleanup ${app.spec.backup!.cleanupSchedule}`,
      );
    expect(decide({ EVENT: "schedule", SCHEDULE: "59 23 31 12 *" })).toBe("");
  });

  it("by hand, runs only the stack and app asked for", () => {
    const asked = {
      EVENT: "workflow_dispatch",
      ASKED_STACK: "dev",
      ASKED_APP: app.name,
      ASKED_ACTION: "cleanup",
    };
    expect(decide(asked)).toBe("cleanup");
    expect(decide({ ...asked, ASKED_STACK: "prod" })).toBe("");
  });
});
