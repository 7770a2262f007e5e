/**
 * Drift made by hand and repaired: Row Level Security disabled and a policy dropped on every RLS
 * table and on audit_logs, a private bucket made public. Each must be found by the provider's `read`
 * and `diff`, and undone by its `update` — the path `pulumi refresh` then `pulumi up` takes.
 */
import {
  platformTablesDifferences,
  sql,
  storageBucketDifferences,
  tableRlsDesired,
  tableRlsDifferences,
  type PlatformTablesObserved,
  type PlatformTablesSpec,
  type StorageBucketObserved,
  type StorageBucketInputs,
  type TableRlsInputs,
  type TableRlsOutputs,
} from "../../infra/providers/postgres";
import { providerOf, type Applied } from "./apply";
import { failed, passed, type ProbeResult } from "./report";
import { inTransaction } from "./session";

interface Scenario {
  readonly subject: string;
  readonly description: string;
  /** Statements a person runs by hand. */
  readonly sabotage: string[];
  /** Differences the read must report, as substrings. */
  readonly expected: string[];
  /** Differences between what was read and the declaration. */
  readonly differences: (props: Record<string, unknown>) => string[];
}

function scenarioOf(resource: Applied): Scenario | undefined {
  const inputs = resource.inputs;
  switch (resource.step.kind) {
    case "table-rls": {
      const desired = tableRlsDesired(inputs as unknown as TableRlsInputs);
      const table = sql.qualifiedName(desired.table);
      const policy = desired.policies[0];
      if (!policy) return undefined;
      return {
        subject: `table ${desired.table.table}`,
        description: `RLS disabled and policy "${policy.name}" dropped by hand`,
        sabotage: [
          `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
          `DROP POLICY ${sql.quotePolicyName(policy.name)} ON ${table}`,
        ],
        expected: ["row level security is disabled", `policy "${policy.name}" is missing`],
        differences: (props) =>
          tableRlsDifferences(props as unknown as TableRlsOutputs, inputs as unknown as TableRlsInputs),
      };
    }
    case "platform-tables": {
      const spec = inputs as PlatformTablesSpec;
      if (!(spec.tables ?? []).includes("audit_logs")) return undefined;
      return {
        subject: "table audit_logs",
        description: 'RLS disabled and policy "audit_logs_owner_all" dropped by hand',
        sabotage: [
          "ALTER TABLE public.audit_logs DISABLE ROW LEVEL SECURITY",
          'DROP POLICY "audit_logs_owner_all" ON public.audit_logs',
        ],
        expected: ["row level security is disabled", 'policy "audit_logs_owner_all" is missing'],
        differences: (props) => platformTablesDifferences(props["observed"] as PlatformTablesObserved, spec),
      };
    }
    case "storage-bucket": {
      const spec = inputs as StorageBucketInputs;
      const id = spec.bucketId ?? spec.id;
      if (spec.public) return undefined;
      return {
        subject: `bucket ${id}`,
        description: "made public by hand",
        sabotage: [`UPDATE storage.buckets SET public = true WHERE id = ${sql.quoteLiteral(id ?? "")}`],
        expected: [`bucket ${id}: settings differ`],
        differences: (props) =>
          storageBucketDifferences(props["observed"] as StorageBucketObserved | undefined, spec),
      };
    }
    default:
      return undefined;
  }
}

async function rehearse(adminUrl: string, resource: Applied, scenario: Scenario): Promise<ProbeResult> {
  const provider = providerOf(resource.step);
  const probe = `drift: ${scenario.description}`;
  await inTransaction(adminUrl, scenario.sabotage);
  const read = await provider.read!(resource.id, resource.outputs);
  const props = (read.props ?? {}) as Record<string, unknown>;
  const found = scenario.differences(props);
  const missed = scenario.expected.filter((e) => !found.some((f) => f.includes(e)));
  if (missed.length > 0) return failed(scenario.subject, probe, `read did not report: ${missed.join("; ")}`);
  const diff = await provider.diff!(resource.id, props, resource.inputs);
  if (!diff.changes)
    return failed(scenario.subject, probe, "read found the drift but diff reports no change");
  const updated = await provider.update!(resource.id, props, resource.inputs);
  resource.outputs = (updated.outs as Record<string, unknown>) ?? resource.outputs;
  const after = await provider.read!(resource.id, resource.outputs);
  const left = scenario.differences((after.props ?? {}) as Record<string, unknown>);
  if (left.length > 0) return failed(scenario.subject, probe, `update left: ${left.join("; ")}`);
  return passed(scenario.subject, probe, `read found ${found.length} differences; update repaired them`);
}

/** One drift scenario per RLS table, for audit_logs and per private bucket. */
export async function rehearseDrift(adminUrl: string, applied: readonly Applied[]): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const resource of applied) {
    const scenario = scenarioOf(resource);
    if (scenario) results.push(await rehearse(adminUrl, resource, scenario));
  }
  return results;
}
