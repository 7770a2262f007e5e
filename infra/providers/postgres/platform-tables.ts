/**
 * PlatformTables: `audit_logs`, `qa_reports` and `backup_metadata` with their RLS, the audit trigger
 * function, and an audit trigger on each listed app table.
 *
 * Column drift of existing platform tables is not repaired (that is a migration's job); RLS,
 * policies, the trigger function and the triggers are.
 */
import * as pulumi from "@pulumi/pulumi";
import { functionSource, requireTable } from "./catalog";
import { withTransaction, type ConnectionInputs, type Session } from "./connection";
import { checkFailure } from "./check";
import {
  connectionSecretOptions,
  DYNAMIC_MODULE,
  secretUrl,
  type DatabaseConnectionArgs,
} from "./resource-options";
import { convergeRls, readRls, rlsDrift, type RlsDesired, type RlsObserved } from "./rls-state";
import { assertIdentifier, displayName, parseTableName } from "./sql/ident";
import {
  AUDIT_FUNCTION,
  AUDIT_TRIGGER,
  auditFunctionBody,
  createAuditFunctionStatements,
  createAuditTriggerSql,
  createPlatformTableSql,
  dropAuditFunctionSql,
  dropAuditTriggerSql,
  dropPlatformTableSql,
  PLATFORM_TABLES,
  platformPolicies,
  platformTableName,
  type PlatformTable,
} from "./sql/platform-tables";
import type { PlatformTablesSpec, TableName } from "./types";

export interface PlatformTablesInputs extends ConnectionInputs, PlatformTablesSpec {
  /** Names the migration that creates the audited tables, for the missing-table error. */
  readonly migration?: string;
}

export interface PlatformTablesObserved {
  /** Role owning the tables and running the audit trigger (the role that applied them). */
  readonly ownerRole: string;
  readonly tables: Record<string, RlsObserved | null>;
  /** Whether the trigger function exists with the current body, as SECURITY DEFINER, executable by no one. */
  readonly auditFunctionCurrent: boolean;
  /** `schema.table` of the app tables carrying the audit trigger. */
  readonly auditedTables: string[];
}

export interface PlatformTablesOutputs extends PlatformTablesInputs {
  readonly observed: PlatformTablesObserved;
}

function schemaOf(spec: PlatformTablesSpec): string {
  const schema = spec.schema ?? "public";
  assertIdentifier(schema, "platform schema");
  return schema;
}

/** The platform tables this resource manages (all three unless the spec names some). */
export function managedPlatformTables(spec: PlatformTablesSpec): PlatformTable[] {
  const wanted = spec.tables ?? PLATFORM_TABLES;
  for (const table of wanted) {
    if (!(PLATFORM_TABLES as readonly string[]).includes(table)) {
      throw new Error(`${JSON.stringify(table)} is not a platform table (${PLATFORM_TABLES.join(", ")})`);
    }
  }
  const tables = PLATFORM_TABLES.filter((table) => wanted.includes(table));
  if (!tables.includes("audit_logs") && (spec.auditedTables ?? []).length > 0) {
    throw new Error("audit triggers write into audit_logs: add it to the platform tables");
  }
  return tables;
}

function auditedNames(spec: PlatformTablesSpec): string[] {
  const schema = schemaOf(spec);
  const names = (spec.auditedTables ?? []).map((ref) => parseTableName(ref, "audited table"));
  for (const name of names) {
    if (name.schema === schema && (PLATFORM_TABLES as readonly string[]).includes(name.table)) {
      // Auditing audit_logs would have every audit row write another one, without end.
      throw new Error(`${displayName(name)} is a platform table; only app tables can be audited`);
    }
  }
  return [...new Set(names.map(displayName))].sort();
}

/** The declared audited tables, as the trigger function's allow-list. */
function auditedTableNames(spec: PlatformTablesSpec): TableName[] {
  return auditedNames(spec).map((name) => parseTableName(name));
}

function tableDesired(schema: string, table: PlatformTable, ownerRole: string): RlsDesired {
  return {
    table: platformTableName(schema, table),
    policies: platformPolicies(schema, table, ownerRole),
    manageFlags: true,
  };
}

async function readState(session: Session, spec: PlatformTablesSpec): Promise<PlatformTablesObserved> {
  const schema = schemaOf(spec);
  const [{ role }] = await session.query<{ role: string }>("SELECT current_user::text AS role");
  const tables: Record<string, RlsObserved | null> = {};
  for (const table of PLATFORM_TABLES)
    tables[table] = (await readRls(session, platformTableName(schema, table))) ?? null;
  const fn = await functionSource(session, schema, AUDIT_FUNCTION);
  const triggers = await session.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
       FROM pg_catalog.pg_trigger t
       JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
       JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
      WHERE t.tgname = $1 AND NOT t.tgisinternal AND pn.nspname = $2 AND p.proname = $3
      ORDER BY 1`,
    [AUDIT_TRIGGER, schema, AUDIT_FUNCTION],
  );
  return {
    ownerRole: role,
    tables,
    auditFunctionCurrent:
      fn !== undefined &&
      fn.securityDefiner &&
      !fn.publicExecute &&
      fn.source === auditFunctionBody(schema, auditedTableNames(spec)),
    auditedTables: triggers.map((t) => t.name),
  };
}

/** Differences between the observed state and the declaration; empty when in sync. */
export function platformTablesDifferences(
  observed: PlatformTablesObserved,
  spec: PlatformTablesSpec,
): string[] {
  const schema = schemaOf(spec);
  const tables = managedPlatformTables(spec);
  const drift: string[] = [];
  for (const table of tables) {
    const state = observed.tables[table] ?? undefined;
    drift.push(...rlsDrift(state, tableDesired(schema, table, observed.ownerRole)));
  }
  if (tables.includes("audit_logs") && !observed.auditFunctionCurrent)
    drift.push(`${schema}.${AUDIT_FUNCTION}(): missing, modified or executable by PUBLIC`);
  const wanted = auditedNames(spec);
  for (const name of wanted)
    if (!observed.auditedTables.includes(name)) drift.push(`${name}: audit trigger missing`);
  for (const name of observed.auditedTables)
    if (!wanted.includes(name)) drift.push(`${name}: audit trigger not declared`);
  return drift;
}

async function apply(inputs: PlatformTablesInputs): Promise<PlatformTablesOutputs> {
  const schema = schemaOf(inputs);
  const tables = managedPlatformTables(inputs);
  const audited = auditedNames(inputs).map((name) => parseTableName(name));
  return withTransaction(inputs, async (session) => {
    // Missing app tables are reported before anything is created.
    for (const table of audited) await requireTable(session, table, "its audit trigger", inputs.migration);
    const before = await readState(session, inputs);
    for (const table of tables) {
      if (!before.tables[table])
        await session.change(createPlatformTableSql(schema, table), `creating ${schema}.${table}`);
      await convergeRls(
        session,
        tableDesired(schema, table, before.ownerRole),
        `row level security of ${table}`,
      );
    }
    if (tables.includes("audit_logs") && !before.auditFunctionCurrent) {
      for (const statement of createAuditFunctionStatements(schema, audited))
        await session.change(statement, `creating ${schema}.${AUDIT_FUNCTION}()`);
    }
    const wanted = audited.map(displayName);
    for (const table of audited) {
      if (before.auditedTables.includes(displayName(table))) continue;
      await session.change(createAuditTriggerSql(schema, table), `audit trigger on ${displayName(table)}`);
    }
    for (const name of before.auditedTables.filter((n) => !wanted.includes(n))) {
      await session.change(dropAuditTriggerSql(parseTableName(name)), `removing audit trigger from ${name}`);
    }
    return { ...inputs, observed: await readState(session, inputs) };
  });
}

export const platformTablesProvider: pulumi.dynamic.ResourceProvider<
  PlatformTablesInputs,
  PlatformTablesOutputs
> = {
  async check(_olds, news) {
    const failures = [
      ...checkFailure("schema", () => schemaOf(news)),
      ...checkFailure("auditedTables", () => auditedNames(news)),
      ...checkFailure("tables", () => managedPlatformTables(news)),
    ];
    return failures.length > 0 ? { failures } : { inputs: news };
  },

  async diff(_id, olds, news) {
    if (schemaOf(olds) !== schemaOf(news))
      return { changes: true, replaces: ["schema"], deleteBeforeReplace: true };
    const declared = (spec: PlatformTablesSpec) =>
      JSON.stringify([auditedNames(spec), managedPlatformTables(spec)]);
    if (declared(olds) !== declared(news)) return { changes: true };
    return { changes: platformTablesDifferences(olds.observed, news).length > 0 };
  },

  async create(inputs) {
    return { id: `${schemaOf(inputs)}.platform`, outs: await apply(inputs) };
  },

  async read(id, props) {
    if (!props) throw new Error(`Cannot read platform tables ${id} without their properties`);
    const observed = await withTransaction(props, (session) => readState(session, props), { readOnly: true });
    const gone = managedPlatformTables(props).every((table) => !observed.tables[table]);
    return gone ? {} : { id, props: { ...props, observed } };
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  async delete(_id, props) {
    const schema = schemaOf(props);
    await withTransaction(props, async (session) => {
      const state = await readState(session, props);
      for (const name of state.auditedTables) {
        await session.change(
          dropAuditTriggerSql(parseTableName(name)),
          `removing audit trigger from ${name}`,
        );
      }
      await session.change(dropAuditFunctionSql(schema), `removing ${schema}.${AUDIT_FUNCTION}()`);
      for (const table of managedPlatformTables(props)) {
        if (state.tables[table])
          await session.change(dropPlatformTableSql(schema, table), `removing ${schema}.${table}`);
      }
    });
  },
};

export interface PlatformTablesArgs extends DatabaseConnectionArgs {
  readonly schema?: pulumi.Input<string>;
  readonly tables?: pulumi.Input<PlatformTablesSpec["tables"]>;
  readonly auditedTables?: pulumi.Input<pulumi.Input<string>[]>;
  readonly migration?: pulumi.Input<string>;
}

/** Type token `pulumi-nodejs:dynamic/postgres:PlatformTables`. Protect it in prod: delete drops the tables. */
export class PlatformTables extends pulumi.dynamic.Resource {
  declare public readonly observed: pulumi.Output<PlatformTablesObserved>;

  constructor(name: string, args: PlatformTablesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      platformTablesProvider,
      name,
      { ...args, databaseUrl: secretUrl(args.databaseUrl), observed: undefined },
      connectionSecretOptions(opts),
      DYNAMIC_MODULE,
      "PlatformTables",
    );
  }
}
