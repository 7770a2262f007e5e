/**
 * The scheduled backup workflow (.github/workflows/backup.yml), rendered from the catalog: one job
 * per stack and app with a backup declaration, in that pair's GitHub environment
 * (`<stack>-backup-<app>`, holding the app database's admin URL, the project's service-role key and
 * the app's Discord webhook), running at the declared schedules. `npm run workflows` rewrites the
 * file; a test fails while it differs from what the catalog says.
 *
 * Run directly: `tsx tools/backup/workflow.ts [--write] [--cwd DIR]` prints (or writes) the file.
 */

import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import {
  ConfigError,
  PROJECT_DIR,
  readLayeredConfig,
  validatePlatform,
  type AppSpec,
} from "../../infra/config";
import { utcCronLines } from "../../infra/schedule/utc-lines";

export const WORKFLOW_FILE = ".github/workflows/backup.yml";
export const STACKS = ["dev", "qa", "prod"] as const;

/** The service-role key's secret (and variable): Storage's credential. */
export const SERVICE_KEY_SECRET = "SUPABASE_SERVICE_ROLE_KEY";

export interface ScheduledBackup {
  readonly app: string;
  /** The declared schedules, wall-clock times in `timeZone`. */
  readonly schedule: string;
  readonly cleanupSchedule: string;
  readonly timeZone: string;
  /** The secrets of the pair's environment: database admin URL, service key, Discord webhook. */
  readonly secrets: readonly [string, string, string];
}

/** The apps with a backup declaration, from the catalog (identical in every stack). */
export function scheduledBackups(projectDir: string = PROJECT_DIR): ScheduledBackup[] {
  const platform = validatePlatform("dev", readLayeredConfig("dev", projectDir));
  return Object.entries(platform.apps)
    .filter(
      (entry): entry is [string, AppSpec & { backup: NonNullable<AppSpec["backup"]> }] => !!entry[1].backup,
    )
    .map(([app, spec]) => ({
      app,
      schedule: spec.backup.schedule,
      cleanupSchedule: spec.backup.cleanupSchedule,
      timeZone: spec.backup.timeZone,
      secrets: [spec.database!.adminUrlSecret, SERVICE_KEY_SECRET, spec.alerts.webhookSecret],
    }));
}

export function environmentName(stack: string, app: string): string {
  return `${stack}-backup-${app}`;
}

const HEADER = `# GENERATED from the backup declarations of Pulumi.yaml (apps.<app>.backup) by \`npm run workflows\`;
# edit the catalog, not this file (test/backup/workflow.test.ts fails while they differ).
#
# Backups that leave the database: per stack and app, \`launchpad backup\` at the declared schedule
# exports the app's tables to its private Storage bucket and records them in backup_metadata;
# \`launchpad backup --cleanup\` at the cleanup schedule deletes those past the stack's
# backupRetentionDays. Each pair runs in its GitHub environment <stack>-backup-<app>, which holds
# only what it needs: the app database's admin URL, the project's service-role key and the app's
# Discord webhook, where a failure is reported. The schedules are declared in a time zone
# (apps.<app>.backup.timeZone) and GitHub's cron is UTC: each becomes one UTC line per offset of the
# zone (winter and summer time), and tools/backup/schedule-gate.ts lets only the run that is due at
# the declared local time proceed. A manual run (workflow_dispatch) skips the gate.
`;

/** The gate's verdict as a step output; a gate that fails (exit 2) fails the step, which alerts. */
const GATE = `due="$(npx tsx tools/backup/schedule-gate.ts)"
echo "due=$due" >>"$GITHUB_OUTPUT"
`;

/** Separates the UTC lines of one declared schedule in a matrix value. */
const LINE_SEPARATOR = "|";

const WHAT_TO_RUN = `action=""
declared=""
if [ "$EVENT" = schedule ]; then
  case "|$BACKUP_CRONS|" in *"|$SCHEDULE|"*) action=backup declared="$BACKUP_SCHEDULE" ;; esac
  case "|$CLEANUP_CRONS|" in *"|$SCHEDULE|"*) action=cleanup declared="$CLEANUP_SCHEDULE" ;; esac
elif [ "$ASKED_STACK" = "$STACK" ] && [ "$ASKED_APP" = "$APP" ]; then
  action="$ASKED_ACTION"
fi
echo "action=$action" >>"$GITHUB_OUTPUT"
echo "declared=$declared" >>"$GITHUB_OUTPUT"
echo "epoch=$(date +%s)" >>"$GITHUB_OUTPUT"
`;

/** The UTC cron lines that start a declared schedule's runs. */
export function scheduleLines(backup: ScheduledBackup): { backup: string[]; cleanup: string[] } {
  return {
    backup: utcCronLines(backup.schedule, backup.timeZone),
    cleanup: utcCronLines(backup.cleanupSchedule, backup.timeZone),
  };
}

export function renderWorkflow(backups: readonly ScheduledBackup[]): string {
  if (backups.length === 0) throw new Error("no app declares a backup: nothing to schedule");
  const apps = backups.map((b) => b.app);
  const lines = backups.map(scheduleLines);
  const schedules = [...new Set(lines.flatMap((l) => [...l.backup, ...l.cleanup]))];
  const [adminUrl, serviceKey, webhook] = backups[0]!.secrets;
  if (backups.some((b) => b.secrets.join() !== backups[0]!.secrets.join())) {
    throw new Error("every backed-up app must name the same secrets (the job reads them by name)");
  }
  const runs = "steps.what.outputs.action != ''";
  // A scheduled run goes on only when the gate says the declared local time is due; a manual one always.
  const due = "(github.event_name != 'schedule' || steps.gate.outputs.due == 'true')";
  const common = { STACK: "${{ matrix.stack }}", APP: "${{ matrix.app }}" };
  const workflow = {
    name: "Backups",
    on: {
      schedule: schedules.map((cron) => ({ cron })),
      workflow_dispatch: {
        inputs: {
          stack: { description: "Stack", type: "choice", required: true, options: [...STACKS] },
          app: { description: "App", type: "choice", required: true, options: apps },
          action: {
            description: "What to run",
            type: "choice",
            default: "backup",
            options: ["backup", "cleanup"],
          },
        },
      },
    },
    permissions: {},
    defaults: { run: { shell: "bash" } },
    jobs: {
      backup: {
        name: "${{ matrix.stack }} ${{ matrix.app }}",
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 60,
        environment: environmentName("${{ matrix.stack }}", "${{ matrix.app }}"),
        strategy: {
          "fail-fast": false,
          matrix: {
            stack: [...STACKS],
            app: apps,
            include: backups.map((b, i) => ({
              app: b.app,
              "time-zone": b.timeZone,
              "backup-schedule": b.schedule,
              "cleanup-schedule": b.cleanupSchedule,
              "backup-crons": lines[i]!.backup.join(LINE_SEPARATOR),
              "cleanup-crons": lines[i]!.cleanup.join(LINE_SEPARATOR),
            })),
          },
        },
        concurrency: { group: "backup-${{ matrix.stack }}-${{ matrix.app }}", "cancel-in-progress": false },
        permissions: { contents: "read" },
        steps: [
          {
            name: "What to run",
            id: "what",
            env: {
              EVENT: "${{ github.event_name }}",
              SCHEDULE: "${{ github.event.schedule }}",
              BACKUP_SCHEDULE: "${{ matrix.backup-schedule }}",
              CLEANUP_SCHEDULE: "${{ matrix.cleanup-schedule }}",
              BACKUP_CRONS: "${{ matrix.backup-crons }}",
              CLEANUP_CRONS: "${{ matrix.cleanup-crons }}",
              ...common,
              ASKED_STACK: "${{ inputs.stack }}",
              ASKED_APP: "${{ inputs.app }}",
              ASKED_ACTION: "${{ inputs.action }}",
            },
            run: WHAT_TO_RUN,
          },
          { if: runs, uses: "actions/checkout@v4.2.2", with: { "persist-credentials": false } },
          { if: runs, uses: "actions/setup-node@v4.4.0", with: { "node-version": 22, cache: "npm" } },
          { if: runs, run: "npm ci" },
          {
            name: "Due at the declared local time?",
            id: "gate",
            if: `github.event_name == 'schedule' && ${runs}`,
            env: {
              FIRED_SCHEDULE: "${{ github.event.schedule }}",
              BACKUP_SCHEDULE: "${{ steps.what.outputs.declared }}",
              BACKUP_TIME_ZONE: "${{ matrix.time-zone }}",
            },
            run: GATE,
          },
          {
            name: "launchpad backup",
            if: `steps.what.outputs.action == 'backup' && ${due}`,
            env: {
              [adminUrl]: `\${{ secrets.${adminUrl} }}`,
              [serviceKey]: `\${{ secrets.${serviceKey} }}`,
              ...common,
            },
            run: 'npx launchpad backup --stack "$STACK" --app "$APP"',
          },
          {
            name: "launchpad backup --cleanup",
            if: `steps.what.outputs.action == 'cleanup' && ${due}`,
            env: {
              [adminUrl]: `\${{ secrets.${adminUrl} }}`,
              [serviceKey]: `\${{ secrets.${serviceKey} }}`,
              ...common,
            },
            run: 'npx launchpad backup --stack "$STACK" --app "$APP" --cleanup',
          },
          {
            name: "Alert the app's Discord channel",
            if: `failure() && ${runs}`,
            env: {
              [webhook]: `\${{ secrets.${webhook} }}`,
              NOTIFY_ACTION: "${{ steps.what.outputs.action }}",
              NOTIFY_STATUS: "${{ job.status }}",
              NOTIFY_STACK: "${{ matrix.stack }}",
              NOTIFY_STARTED_AT: "${{ steps.what.outputs.epoch }}",
              NOTIFY_AUTHOR: "${{ github.actor }}",
              NOTIFY_COMMIT: "${{ github.sha }}",
              NOTIFY_DETAIL: "${{ matrix.app }}: see the run; a failed backup is recorded in backup_metadata",
            },
            run: "node .github/scripts/discord-notify.js",
          },
        ],
      },
    },
  };
  return HEADER + "\n" + stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The workflow as committed: rendered, then formatted as the repository's prettier formats YAML. */
export async function formattedWorkflow(projectDir: string = PROJECT_DIR): Promise<string> {
  const prettier: typeof import("prettier") = require("prettier");
  const file = path.join(projectDir, WORKFLOW_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(renderWorkflow(scheduledBackups(projectDir)), { ...options, filepath: file });
}

/** `--write` writes the file, else prints it; `--cwd DIR` reads another copy of the project. Exit 2 on bad config. */
async function main(args: readonly string[]): Promise<number> {
  const at = args.indexOf("--cwd");
  const projectDir = at >= 0 && args[at + 1] ? path.resolve(args[at + 1]!) : PROJECT_DIR;
  let text: string;
  try {
    text = await formattedWorkflow(projectDir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`workflows: ${error.message}\n`);
    return 2;
  }
  if (args.includes("--write")) {
    fs.writeFileSync(path.join(projectDir, WORKFLOW_FILE), text);
    process.stdout.write(`wrote ${WORKFLOW_FILE}\n`);
  } else process.stdout.write(text);
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
