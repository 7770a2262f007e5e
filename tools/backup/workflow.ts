/**
 * The scheduled backup workflow (.github/workflows/backup.yml), rendered from the catalog: one job
 * per stack and app with a backup declaration, in that pair's GitHub environment
 * (`<stack>-backup-<app>`, holding the app database's admin URL, the project's service-role key and
 * the app's Discord webhook), running at the declared schedules. `npm run workflows` rewrites the
 * file; a test fails while it differs from what the catalog says.
 *
 * Run directly: `tsx tools/backup/workflow.ts [--write]` prints (or writes) the file.
 */

import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT_DIR, readLayeredConfig, validatePlatform, type AppSpec } from "../../infra/config";

export const WORKFLOW_FILE = ".github/workflows/backup.yml";
export const STACKS = ["dev", "qa", "prod"] as const;

/** The service-role key's secret (and variable): Storage's credential. */
export const SERVICE_KEY_SECRET = "SUPABASE_SERVICE_ROLE_KEY";

export interface ScheduledBackup {
  readonly app: string;
  readonly schedule: string;
  readonly cleanupSchedule: string;
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
# Discord webhook, where a failure is reported. Times are UTC (GitHub's cron).
`;

const WHAT_TO_RUN = `action=""
if [ "$EVENT" = schedule ]; then
  if [ "$SCHEDULE" = "$BACKUP_SCHEDULE" ]; then action=backup; fi
  if [ "$SCHEDULE" = "$CLEANUP_SCHEDULE" ]; then action=cleanup; fi
elif [ "$ASKED_STACK" = "$STACK" ] && [ "$ASKED_APP" = "$APP" ]; then
  action="$ASKED_ACTION"
fi
echo "action=$action" >>"$GITHUB_OUTPUT"
echo "epoch=$(date +%s)" >>"$GITHUB_OUTPUT"
`;

export function renderWorkflow(backups: readonly ScheduledBackup[]): string {
  if (backups.length === 0) throw new Error("no app declares a backup: nothing to schedule");
  const apps = backups.map((b) => b.app);
  const schedules = [...new Set(backups.flatMap((b) => [b.schedule, b.cleanupSchedule]))];
  const [adminUrl, serviceKey, webhook] = backups[0]!.secrets;
  if (backups.some((b) => b.secrets.join() !== backups[0]!.secrets.join())) {
    throw new Error("every backed-up app must name the same secrets (the job reads them by name)");
  }
  const runs = "steps.what.outputs.action != ''";
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
            include: backups.map((b) => ({
              app: b.app,
              "backup-schedule": b.schedule,
              "cleanup-schedule": b.cleanupSchedule,
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
            name: "launchpad backup",
            if: "steps.what.outputs.action == 'backup'",
            env: {
              [adminUrl]: `\${{ secrets.${adminUrl} }}`,
              [serviceKey]: `\${{ secrets.${serviceKey} }}`,
              ...common,
            },
            run: 'npx launchpad backup --stack "$STACK" --app "$APP"',
          },
          {
            name: "launchpad backup --cleanup",
            if: "steps.what.outputs.action == 'cleanup'",
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

if (require.main === module) {
  void formattedWorkflow().then((text) => {
    if (process.argv.includes("--write")) {
      fs.writeFileSync(path.join(PROJECT_DIR, WORKFLOW_FILE), text);
      process.stdout.write(`wrote ${WORKFLOW_FILE}\n`);
    } else process.stdout.write(text);
  });
}
