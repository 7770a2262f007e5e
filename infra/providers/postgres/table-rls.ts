/**
 * TableRowLevelSecurity: a table's RLS flags (ENABLE + FORCE) and all of its policies, generated
 * from the table's RLS model. The table belongs to the app's migration and must already exist.
 */
import * as pulumi from "@pulumi/pulumi";
import { findTable } from "./catalog";
import { withTransaction, type ConnectionInputs, type Session } from "./connection";
import { checkFailure } from "./check";
import {
  connectionSecretOptions,
  DYNAMIC_MODULE,
  secretUrl,
  type DatabaseConnectionArgs,
} from "./resource-options";
import {
  convergeHelper,
  helperDrift,
  readHelper,
  removeHelper,
  type HelperObserved,
} from "./membership-helper";
import { convergeRls, readRls, removeRls, rlsDrift, type RlsDesired, type RlsObserved } from "./rls-state";
import { displayName, parseTableName } from "./sql/ident";
import { policiesForModel, tablePolicies } from "./sql/rls";
import type { PolicySpec, RlsModel } from "./types";

export interface TableRlsInputs extends ConnectionInputs {
  /** `table` or `schema.table`. */
  readonly table: string;
  readonly rls: RlsModel;
  /**
   * Policies for the stack's own roles (an analytics reader, a scheduled job), added to the ones the
   * model generates, so roles other than the API roles reach rows only through a named policy.
   */
  readonly additionalPolicies?: readonly PolicySpec[];
  /** Names the migration that creates the table, for the missing-table error. */
  readonly migration?: string;
}

export interface TableRlsOutputs extends TableRlsInputs {
  readonly observed: RlsObserved & { readonly helper?: HelperObserved };
}

const PURPOSE = "row level security";

export function tableRlsDesired(inputs: TableRlsInputs): RlsDesired {
  const table = parseTableName(inputs.table);
  const additional = inputs.additionalPolicies ?? [];
  return {
    table,
    policies:
      additional.length === 0
        ? policiesForModel(table, inputs.rls)
        : tablePolicies(table, inputs.rls, additional),
    manageFlags: true,
    migration: inputs.migration,
  };
}

/** Differences between what a read found (or what was applied) and the declaration. */
export function tableRlsDifferences(olds: TableRlsOutputs, news: TableRlsInputs): string[] {
  const desired = tableRlsDesired(news);
  return [
    ...rlsDrift(olds.observed, desired),
    ...helperDrift(desired.table, news.rls, olds.observed?.helper),
  ];
}

async function observe(
  session: Session,
  inputs: TableRlsInputs,
): Promise<TableRlsOutputs["observed"] | undefined> {
  const table = parseTableName(inputs.table);
  const rls = await readRls(session, table);
  if (!rls) return undefined;
  const helper = await readHelper(session, table, inputs.rls);
  return helper ? { ...rls, helper } : rls;
}

async function apply(inputs: TableRlsInputs): Promise<TableRlsOutputs> {
  const desired = tableRlsDesired(inputs);
  return withTransaction(inputs, async (session) => {
    // The helper first: the membership table's policies call it.
    if (await findTable(session, desired.table)) await convergeHelper(session, desired.table, inputs.rls);
    await convergeRls(session, desired, PURPOSE);
    const observed = await observe(session, inputs);
    if (!observed) throw new Error(`${displayName(desired.table)} disappeared while applying ${PURPOSE}`);
    return { ...inputs, observed };
  });
}

export const tableRlsProvider: pulumi.dynamic.ResourceProvider<TableRlsInputs, TableRlsOutputs> = {
  async check(_olds, news) {
    const failures = [
      ...checkFailure("table", () => parseTableName(news.table)),
      ...checkFailure("rls", () => tableRlsDesired(news)),
    ];
    return failures.length > 0 ? { failures } : { inputs: news };
  },

  async diff(_id, olds, news) {
    const replaces = displayName(parseTableName(olds.table)) !== displayName(parseTableName(news.table));
    if (replaces) return { changes: true, replaces: ["table"], deleteBeforeReplace: true };
    const declared = (i: TableRlsInputs) => JSON.stringify([i.rls, i.additionalPolicies ?? [], i.migration]);
    const inputsChanged = declared(olds) !== declared(news);
    return { changes: inputsChanged || tableRlsDifferences(olds, news).length > 0 };
  },

  async create(inputs) {
    const outs = await apply(inputs);
    return { id: displayName(parseTableName(inputs.table)), outs };
  },

  async read(id, props) {
    if (!props) throw new Error(`Cannot read ${PURPOSE} of ${id} without its properties`);
    const observed = await withTransaction(props, (session) => observe(session, props), { readOnly: true });
    return observed ? { id, props: { ...props, observed } } : {};
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  async delete(_id, props) {
    const table = parseTableName(props.table);
    await withTransaction(props, async (session) => {
      await removeRls(session, table, undefined, `removing ${PURPOSE}`);
      await removeHelper(session, table, props.rls);
    });
  },
};

export interface TableRowLevelSecurityArgs extends DatabaseConnectionArgs {
  /** `table` or `schema.table`; created by the app's migration. */
  readonly table: pulumi.Input<string>;
  readonly rls: pulumi.Input<RlsModel>;
  readonly additionalPolicies?: pulumi.Input<readonly PolicySpec[]>;
  readonly migration?: pulumi.Input<string>;
}

/** Type token `pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity`. */
export class TableRowLevelSecurity extends pulumi.dynamic.Resource {
  declare public readonly table: pulumi.Output<string>;
  declare public readonly observed: pulumi.Output<RlsObserved>;

  constructor(name: string, args: TableRowLevelSecurityArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      tableRlsProvider,
      name,
      { ...args, databaseUrl: secretUrl(args.databaseUrl), observed: undefined },
      connectionSecretOptions(opts),
      DYNAMIC_MODULE,
      "TableRowLevelSecurity",
    );
  }
}
