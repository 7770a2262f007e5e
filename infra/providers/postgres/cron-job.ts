/**
 * CronJob: a pg_cron job under a stable name. Scheduling under an existing name replaces that job,
 * so re-applying never duplicates it; deleting unschedules it.
 */
import * as pulumi from "@pulumi/pulumi";
import { withTransaction, type ConnectionInputs, type Session } from "./connection";
import { checkFailure } from "./check";
import {
  connectionSecretOptions,
  DYNAMIC_MODULE,
  secretUrl,
  type DatabaseConnectionArgs,
} from "./resource-options";
import { PG_CRON_MISSING, scheduleQuery, unscheduleQuery, validateCronJob } from "./sql/cron";
import type { CronJobSpec } from "./types";

export interface CronJobInputs extends ConnectionInputs, CronJobSpec {}

export interface CronJobObserved {
  readonly schedule: string;
  readonly command: string;
  readonly active: boolean;
}

export interface CronJobOutputs extends CronJobInputs {
  /** The job as found in cron.job, or null when it is not scheduled. */
  readonly observed: CronJobObserved | null;
}

async function cronInstalled(session: Session): Promise<boolean> {
  const [row] = await session.query<{ found: boolean }>(
    "SELECT to_regclass('cron.job') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') AS found",
  );
  return row?.found === true;
}

async function requireCron(session: Session): Promise<void> {
  if (await cronInstalled(session)) return;
  const [available] = await session.query<{ found: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron') AS found",
  );
  const note = available?.found
    ? " (the pg_cron package is present on the server but the extension is not created)"
    : "";
  throw new Error(`${PG_CRON_MISSING}${note}`);
}

async function readJob(session: Session, jobName: string): Promise<CronJobObserved | null> {
  const rows = await session.query<CronJobObserved>(
    "SELECT schedule, command, active FROM cron.job WHERE jobname = $1 ORDER BY jobid",
    [jobName],
  );
  return rows[0] ?? null;
}

/** Differences between the job in cron.job and the declaration; empty when in sync. */
export function cronJobDifferences(observed: CronJobObserved | null, spec: CronJobSpec): string[] {
  if (!observed) return [`cron job ${spec.jobName}: not scheduled`];
  const drift: string[] = [];
  if (observed.schedule !== spec.schedule)
    drift.push(`cron job ${spec.jobName}: schedule is ${observed.schedule}`);
  if (observed.command !== spec.command) drift.push(`cron job ${spec.jobName}: command differs`);
  if (!observed.active) drift.push(`cron job ${spec.jobName}: inactive`);
  return drift;
}

async function apply(inputs: CronJobInputs): Promise<CronJobOutputs> {
  validateCronJob(inputs);
  return withTransaction(inputs, async (session) => {
    await requireCron(session);
    const before = await readJob(session, inputs.jobName);
    if (cronJobDifferences(before, inputs).length > 0) {
      const { text, values } = scheduleQuery(inputs);
      await session.change(text, `scheduling cron job ${inputs.jobName}`, values);
    }
    return { ...inputs, observed: await readJob(session, inputs.jobName) };
  });
}

export const cronJobProvider: pulumi.dynamic.ResourceProvider<CronJobInputs, CronJobOutputs> = {
  async check(_olds, news) {
    const failures = checkFailure("schedule", () => validateCronJob(news));
    return failures.length > 0 ? { failures } : { inputs: news };
  },

  async diff(_id, olds, news) {
    if (olds.jobName !== news.jobName)
      return { changes: true, replaces: ["jobName"], deleteBeforeReplace: true };
    const declared = olds.schedule !== news.schedule || olds.command !== news.command;
    return { changes: declared || cronJobDifferences(olds.observed, news).length > 0 };
  },

  async create(inputs) {
    return { id: inputs.jobName, outs: await apply(inputs) };
  },

  async read(id, props) {
    if (!props) throw new Error(`Cannot read cron job ${id} without its properties`);
    const observed = await withTransaction(
      props,
      async (session) => ((await cronInstalled(session)) ? readJob(session, props.jobName) : null),
      { readOnly: true },
    );
    return observed ? { id, props: { ...props, observed } } : {};
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  async delete(_id, props) {
    await withTransaction(props, async (session) => {
      if (!(await cronInstalled(session)) || !(await readJob(session, props.jobName))) return;
      const { text, values } = unscheduleQuery(props.jobName);
      await session.change(text, `unscheduling cron job ${props.jobName}`, values);
    });
  },
};

export interface CronJobArgs extends DatabaseConnectionArgs {
  readonly jobName: pulumi.Input<string>;
  readonly schedule: pulumi.Input<string>;
  readonly command: pulumi.Input<string>;
}

/** Type token `pulumi-nodejs:dynamic/postgres:CronJob`. */
export class CronJob extends pulumi.dynamic.Resource {
  declare public readonly observed: pulumi.Output<CronJobObserved | null>;

  constructor(name: string, args: CronJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      cronJobProvider,
      name,
      { ...args, databaseUrl: secretUrl(args.databaseUrl), observed: undefined },
      connectionSecretOptions(opts),
      DYNAMIC_MODULE,
      "CronJob",
    );
  }
}
