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
  STACKS,
  WORKFLOW_FILE,
} from "../../tools/backup/workflow";
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
    expect(renderWorkflow([{ ...backups[0]!, schedule: "15 1 * * *" }, ...backups.slice(1)])).toContain(
      "15 1 * * *",
    );
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
      expect(matrix.include).toContainEqual({
        app: app.name,
        "backup-schedule": app.spec.backup!.schedule,
        "cleanup-schedule": app.spec.backup!.cleanupSchedule,
      });
      expect(crons).toContain(app.spec.backup!.schedule);
      expect(crons).toContain(app.spec.backup!.cleanupSchedule);
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
    const base = {
      STACK: "dev",
      APP: app.name,
      BACKUP_SCHEDULE: app.spec.backup!.schedule,
      CLEANUP_SCHEDULE: app.spec.backup!.cleanupSchedule,
    };
    const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
      env: { PATH: process.env["PATH"], GITHUB_OUTPUT: out, ...base, ...env },
    });
    expect(result.status).toBe(0);
    return /^action=(.*)$/m.exec(fs.readFileSync(out, "utf8"))![1]!;
  }

  it("backs up at the backup schedule, cleans up at the cleanup schedule, and nothing at another app's time", () => {
    expect(decide({ EVENT: "schedule", SCHEDULE: app.spec.backup!.schedule })).toBe("backup");
    expect(decide({ EVENT: "schedule", SCHEDULE: app.spec.backup!.cleanupSchedule })).toBe("cleanup");
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
