/**
 * `launchpad rehearse`: applies each app's database layer of a stack to a real Postgres — a
 * throwaway embedded one, or a scratch server given by URL — and proves it: isolation probes on
 * every RLS table, a second apply that changes nothing, drift detected and repaired, and the
 * scheduled jobs where pg_cron is present. Apps are rehearsed one after the other, each cleaned up
 * before the next, so every app meets the server as a fresh database.
 */
import { randomBytes } from "crypto";
import type { DatabasePlan, RoleKey } from "../../infra/components/database-plan";
import { roleUrl } from "../../infra/components/database-url";
import type { AppSpec } from "../../infra/config";
import { supabaseCompatProvider } from "../../infra/providers/postgres";
import { drillBackup } from "../backup/drill";
import { applyLayer, ApplyError, reapplyLayer, type Target } from "./apply";
import { rehearseDrift } from "./drift";
import { startThrowawayPostgres } from "./embedded-postgres";
import { cronSupport, probeJobs } from "./job-probes";
import { probeBuckets, probePlatformTables, probeRoles } from "./layer-probes";
import { registryDifferences } from "./registry-state";
import {
  failed,
  notRehearsed,
  passed,
  verdict,
  type AppRehearsal,
  type ProbeResult,
  type RehearsalReport,
  SECOND_APPLY,
} from "./report";
import { baselineOf, cleanUp, conflicts } from "./server-state";
import { rows } from "./session";
import { createStandIns, standInTables } from "./stand-ins";
import { runAttackSuite } from "./attack-suite";
import { runLints } from "./lints";
import { probeTable } from "./table-probes";

/** A problem with what the user asked for (exit code 2), as opposed to a failed probe. */
export class RehearsalInputError extends Error {
  override name = "RehearsalInputError";
}

export interface RehearseOptions {
  readonly stack: string;
  /** A scratch server's superuser URL; a throwaway embedded Postgres when absent. */
  readonly databaseUrl?: string;
  readonly apps: ReadonlyArray<{ readonly spec: AppSpec; readonly plan: DatabasePlan }>;
  /** Called as each app finishes, e.g. for progress on a terminal. */
  readonly onApp?: (app: AppRehearsal) => void;
}

/** The plan's roles on the server at `adminUrl`, each with a fresh password of the rehearsal. */
export function targetFor(adminUrl: string, plan: DatabasePlan): Target {
  const passwords = {} as Record<RoleKey, string>;
  const roleUrls = {} as Record<RoleKey, string>;
  for (const key of ["migrator", "runtime", "analytics"] as const) {
    passwords[key] = randomBytes(18).toString("hex");
    roleUrls[key] = roleUrl(adminUrl, plan.roles[key].name, passwords[key]);
  }
  return { adminUrl, passwords, roleUrls };
}

interface AppOutcome {
  readonly probes: ProbeResult[];
  /** Change statements the second apply issued. */
  readonly reapplyStatements: number;
}

async function rehearseApp(
  adminUrl: string,
  spec: AppSpec,
  plan: DatabasePlan,
  stack: string,
): Promise<AppOutcome> {
  const database = spec.database!;
  const tables = standInTables(database);
  const target = targetFor(adminUrl, plan);
  const cron = await cronSupport(adminUrl);
  const probes: ProbeResult[] = [];
  if (plan.flavor === "supabase") {
    // What every Supabase project has: the API roles, auth.uid() and the storage schema.
    await supabaseCompatProvider.create({ databaseUrl: adminUrl, storage: true });
    probes.push(passed("supabase", "stood in by SupabaseCompat (API roles, auth helpers, storage)"));
  }
  let result;
  try {
    result = await applyLayer(plan, target, {
      skip: (step) => (step.requires === "pg_cron" && !cron.available ? cron.reason : undefined),
      beforeTables: () => createStandIns(target.roleUrls.migrator, tables),
    });
  } catch (error) {
    if (!(error instanceof ApplyError)) throw error;
    probes.push(failed("layer", `apply of ${plan.app}-database-${error.step.id}`, error.message));
    return { probes, reapplyStatements: 0 };
  }
  const appliedCount = plan.steps.length - result.skipped.length;
  probes.push(
    passed(
      "layer",
      "applied in plan order",
      `${appliedCount} resources, ${result.applied.length} through their providers`,
    ),
  );
  for (const { step, reason } of result.skipped) {
    if (step.kind === "cron-job")
      probes.push(notRehearsed(`job ${step.inputs.jobName}`, "scheduled and run", reason));
  }

  for (const table of tables)
    probes.push(
      ...(await probeTable(
        { adminUrl, plan, auditLogs: database.platformTables.includes("audit_logs") },
        table,
      )),
    );
  const layer = {
    adminUrl,
    plan,
    roleUrls: target.roleUrls,
    platformTables: database.platformTables,
    buckets: Object.keys(spec.buckets),
    tables,
  };
  probes.push(
    ...(await probePlatformTables(layer)),
    ...(await probeBuckets(layer)),
    ...(await probeRoles(layer)),
    ...(await runLints(adminUrl)),
    ...(await runAttackSuite(layer)),
  );

  const second = await reapplyLayer(result.applied);
  const registry = await registryDifferences(
    adminUrl,
    plan,
    (step) => !result.skipped.some((s) => s.step === step),
  );
  const problem =
    second.changed.length > 0
      ? `diff reports changes on ${second.changed.join(", ")}`
      : second.statements.length > 0
        ? `${second.statements.length} change statements: ${second.statements.slice(0, 3).join("; ")}`
        : registry.drift.length > 0
          ? registry.drift.slice(0, 5).join("; ")
          : undefined;
  probes.push(
    verdict(
      "layer",
      SECOND_APPLY,
      problem,
      `${result.applied.length} resources read back unchanged, 0 change statements; ${registry.checked} roles and grants as declared`,
    ),
  );
  probes.push(...(await rehearseDrift(adminUrl, result.applied)));
  if (spec.backup) probes.push(...(await drillBackup(stack, plan.app, spec, adminUrl)));
  if (cron.available) {
    const jobs = { adminUrl, migratorUrl: target.roleUrls.migrator, plan };
    probes.push(...(await probeJobs(jobs, result.applied)));
  }
  return { probes, reapplyStatements: second.statements.length };
}

/** Rehearses every app of the list; throws RehearsalInputError when the server cannot be used. */
export async function rehearseStack(options: RehearseOptions): Promise<RehearsalReport> {
  const started = Date.now();
  let reapplyStatements = 0;
  const server = options.databaseUrl
    ? { url: options.databaseUrl, stop: async () => undefined, kind: "the server at --database-url" }
    : { ...(await startThrowawayPostgres()), kind: "a throwaway embedded-postgres" };
  try {
    const [{ version }] = await rows<{ version: string }>(
      server.url,
      "SELECT current_setting('server_version') AS version",
    ).catch((error) => {
      throw new RehearsalInputError(`cannot connect to the database: ${(error as Error).message}`);
    });
    const apps: AppRehearsal[] = [];
    for (const { spec, plan } of options.apps) {
      const appStarted = Date.now();
      const tables = [...Object.keys(spec.database!.tables), ...spec.database!.platformTables];
      const problems = await conflicts(server.url, plan, tables);
      if (problems.length > 0) throw new RehearsalInputError(`${plan.app}: ${problems.join("; ")}`);
      const baseline = await baselineOf(server.url);
      let outcome: AppOutcome;
      try {
        outcome = await rehearseApp(server.url, spec, plan, options.stack);
      } finally {
        await cleanUp(server.url, plan, baseline);
      }
      const { probes } = outcome;
      const app = { app: plan.app, flavor: plan.flavor, probes, seconds: (Date.now() - appStarted) / 1000 };
      reapplyStatements += outcome.reapplyStatements;
      apps.push(app);
      options.onApp?.(app);
    }
    return {
      stack: options.stack,
      server: `${server.kind} (PostgreSQL ${version})`,
      apps,
      reapplyStatements,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await server.stop();
  }
}
