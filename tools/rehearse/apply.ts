/**
 * Applies an app's database layer the way `pulumi up` would: registry resources (roles, grants,
 * schemas, extensions) as the SQL `launchpad sql` prints, dynamic resources through the very
 * provider objects the program registers (check, then create); and re-applies it (read, diff,
 * update) counting the change statements issued.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DatabasePlan, DatabaseStep, RoleKey } from "../../infra/components/database-plan";
import {
  cronJobProvider,
  platformTablesProvider,
  storageBucketInputs,
  storageBucketProvider,
  supabaseCompatProvider,
  tableRlsProvider,
  watchChanges,
} from "../../infra/providers/postgres";
import { stepStatements } from "./layer-sql";
import { inTransaction } from "./session";

/** Where and as whom the layer is applied. */
export interface Target {
  /** Superuser connection of the rehearsal server (stands in for the stack's admin URL). */
  readonly adminUrl: string;
  /** The plan's roles' URLs on that server, with the rehearsal's passwords. */
  readonly roleUrls: Readonly<Record<RoleKey, string>>;
  readonly passwords: Readonly<Record<RoleKey, string>>;
}

export type DynamicStep = Extract<
  DatabaseStep,
  { kind: "supabase-compat" | "table-rls" | "platform-tables" | "storage-bucket" | "cron-job" }
>;

/** A dynamic resource as created: what `pulumi up` would keep in state. */
export interface Applied {
  readonly step: DynamicStep;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

type AnyProvider = pulumi.dynamic.ResourceProvider;

const PROVIDERS: Record<DynamicStep["kind"], AnyProvider> = {
  "supabase-compat": supabaseCompatProvider as AnyProvider,
  "table-rls": tableRlsProvider as AnyProvider,
  "platform-tables": platformTablesProvider as AnyProvider,
  "storage-bucket": storageBucketProvider as AnyProvider,
  "cron-job": cronJobProvider as AnyProvider,
};

export function isDynamic(step: DatabaseStep): step is DynamicStep {
  return step.kind in PROVIDERS;
}

export function providerOf(step: DynamicStep): AnyProvider {
  return PROVIDERS[step.kind];
}

/** The provider inputs of a dynamic step, connected as the program connects it. */
export function inputsOf(step: DynamicStep, target: Target): Record<string, unknown> {
  const databaseUrl = step.connection === "migrator" ? target.roleUrls.migrator : target.adminUrl;
  // As the resource classes register them.
  const inputs = step.kind === "storage-bucket" ? storageBucketInputs(step.inputs) : step.inputs;
  return { ...inputs, databaseUrl };
}

/** A step that failed to apply, with the provider's (redacted) message. */
export class ApplyError extends Error {
  constructor(
    readonly step: DatabaseStep,
    message: string,
  ) {
    super(message);
    this.name = "ApplyError";
  }
}

async function createDynamic(step: DynamicStep, target: Target): Promise<Applied> {
  const provider = providerOf(step);
  const inputs = inputsOf(step, target);
  const checked = provider.check ? await provider.check({}, inputs) : { inputs };
  if (checked.failures && checked.failures.length > 0) {
    throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
  const created = await provider.create(checked.inputs ?? inputs);
  return { step, id: created.id, inputs, outputs: created.outs ?? {} };
}

export interface ApplyOptions {
  /** Steps not applied (each with the reason), e.g. pg_cron's on a server without it. */
  readonly skip?: (step: DatabaseStep) => string | undefined;
  /** Runs once, right before the first step that needs the app's tables (the app's migration). */
  readonly beforeTables?: () => Promise<void>;
}

export interface ApplyResult {
  readonly applied: Applied[];
  readonly skipped: Array<{ step: DatabaseStep; reason: string }>;
}

/** First apply, in plan order; throws ApplyError naming the step that failed. */
export async function applyLayer(plan: DatabasePlan, target: Target, options: ApplyOptions = {}) {
  const result: ApplyResult = { applied: [], skipped: [] };
  let migrated = false;
  for (const step of plan.steps) {
    const reason = options.skip?.(step);
    if (reason) {
      result.skipped.push({ step, reason });
      continue;
    }
    try {
      if (!migrated && (step.kind === "table-rls" || step.kind === "platform-tables")) {
        migrated = true;
        await options.beforeTables?.();
      }
      if (isDynamic(step)) result.applied.push(await createDynamic(step, target));
      else await inTransaction(target.adminUrl, stepStatements(step, plan, target.passwords));
    } catch (error) {
      if (error instanceof ApplyError) throw error;
      throw new ApplyError(step, error instanceof Error ? error.message : String(error));
    }
  }
  return result;
}

export interface ReapplyResult {
  /** Resources whose read-back state differs from the declaration (diff reports changes). */
  readonly changed: string[];
  /** Every change statement the providers issued while converging again. */
  readonly statements: readonly string[];
}

/**
 * A second `pulumi up --refresh`: each resource is read back, diffed against its inputs, and
 * converged again through `update`; an unchanged layer must issue no change statement at all.
 */
export async function reapplyLayer(applied: Applied[]): Promise<ReapplyResult> {
  const watch = watchChanges();
  const changed: string[] = [];
  try {
    for (const resource of applied) {
      const provider = providerOf(resource.step);
      const read = await provider.read!(resource.id, resource.outputs);
      const props = (read.props ?? {}) as Record<string, unknown>;
      const diff = read.props ? await provider.diff!(resource.id, props, resource.inputs) : { changes: true };
      if (diff.changes) changed.push(resource.step.id);
      const updated = await provider.update!(
        resource.id,
        read.props ? props : resource.outputs,
        resource.inputs,
      );
      resource.outputs = (updated.outs as Record<string, unknown>) ?? resource.outputs;
    }
  } finally {
    watch.stop();
  }
  return { changed, statements: [...watch.statements] };
}
