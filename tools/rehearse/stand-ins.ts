/**
 * Stand-ins for what the apps' migrations create: a table per catalog declaration (its key columns,
 * typed as declared) with one row for each of two parties, A and B — a user and a tenant each — so
 * the probes can ask whether A reaches B's rows.
 */
import { randomUUID } from "crypto";
import type { DatabaseSpec, TableSpec } from "../../infra/config";
import { sql } from "../../infra/providers/postgres";
import { withClient } from "./session";

export const PARTIES = ["A", "B"] as const;
export type Party = (typeof PARTIES)[number];

/** Users (JWT subjects) and tenants of the two parties. */
export const USER: Record<Party, string> = {
  A: "00000000-0000-4000-8000-00000000000a",
  B: "00000000-0000-4000-8000-00000000000b",
};
export const TENANT: Record<Party, string> = {
  A: "10000000-0000-4000-8000-00000000000a",
  B: "10000000-0000-4000-8000-00000000000b",
};

export type Value = string | number | boolean;
export type Row = Record<string, Value>;

type ColumnType = TableSpec["columns"][string];

export interface StandInTable {
  readonly table: string;
  readonly spec: TableSpec;
  /** The column that says whose a row is (owner or tenant model), when the model has one. */
  readonly subject?: { readonly column: string; readonly values: Record<Party, Value> };
  readonly rows: Record<Party, Row>;
}

const KEY_VALUES: Record<"user" | "tenant", Record<Party, number>> = {
  user: { A: 101, B: 102 },
  tenant: { A: 201, B: 202 },
};

/** The value of a user or tenant key in a column of this type. */
function partyValue(type: ColumnType, kind: "user" | "tenant", party: Party, where: string): Value {
  if (type === "uuid" || type === "text") return kind === "user" ? USER[party] : TENANT[party];
  if (type === "integer" || type === "bigint" || type === "numeric") return KEY_VALUES[kind][party];
  throw new Error(`${where}: a ${kind} key of type ${type} cannot be stood in (use uuid, text or a number)`);
}

let sequence = 1000;

/** Any valid value of the type, distinct per call for keys. */
function filler(type: ColumnType, party: Party): Value {
  switch (type) {
    case "uuid":
      return randomUUID();
    case "text":
      return `rehearsal ${party} ${++sequence}`;
    case "integer":
    case "bigint":
    case "numeric":
      return ++sequence;
    case "boolean":
      return false;
    case "timestamptz":
      return new Date().toISOString();
    case "jsonb":
      return "{}";
    case "date":
      return new Date().toISOString().slice(0, 10);
  }
}

/** Rows of every table: the subject column set per party, membership rows tying users to tenants. */
export function standInTables(database: DatabaseSpec): StandInTable[] {
  const fixed = new Map<string, Record<Party, Row>>();
  const set = (table: string, column: string, kind: "user" | "tenant") => {
    const spec = database.tables[table]!;
    const rows = fixed.get(table) ?? { A: {}, B: {} };
    for (const party of PARTIES) {
      rows[party][column] = partyValue(spec.columns[column]!, kind, party, `${table}.${column}`);
    }
    fixed.set(table, rows);
  };
  for (const [table, spec] of Object.entries(database.tables)) {
    const rls = spec.rls;
    if (rls.model === "owner") set(table, rls.column, "user");
    if (rls.model === "tenant") set(table, rls.column, "tenant");
    if (rls.model === "membership") {
      set(table, rls.userColumn, "user");
      set(table, rls.tenantColumn, "tenant");
    }
  }
  return Object.entries(database.tables).map(([table, spec]) => {
    const rows = fixed.get(table) ?? { A: {}, B: {} };
    for (const party of PARTIES) {
      for (const [column, type] of Object.entries(spec.columns)) {
        if (!(column in rows[party])) rows[party][column] = filler(type, party);
      }
    }
    const rls = spec.rls;
    const column = rls.model === "owner" || rls.model === "tenant" ? rls.column : undefined;
    return {
      table,
      spec,
      rows,
      ...(column ? { subject: { column, values: { A: rows.A[column]!, B: rows.B[column]! } } } : {}),
    };
  });
}

/** A new row of `party`: its row with a fresh primary key (unless the key is the subject itself). */
export function freshRow(table: StandInTable, party: Party): Row {
  const row = { ...table.rows[party] };
  const key = table.spec.primaryKey;
  if (key !== table.subject?.column) row[key] = filler(table.spec.columns[key]!, party);
  return row;
}

/** `CREATE TABLE` of a stand-in: the declared columns, the primary key, nothing else. */
export function createTableSql(table: StandInTable): string {
  const columns = Object.entries(table.spec.columns).map(
    ([column, type]) =>
      `${sql.quoteIdent(column, "column")} ${type}${column === table.spec.primaryKey ? " PRIMARY KEY" : ""}`,
  );
  return `CREATE TABLE ${sql.qualifiedName({ schema: "public", table: table.table })} (${columns.join(", ")})`;
}

/** An INSERT of one row, values as parameters. */
export function insertSql(table: string, row: Row): { text: string; values: Value[] } {
  const columns = Object.keys(row);
  return {
    text:
      `INSERT INTO ${sql.qualifiedName({ schema: "public", table })} ` +
      `(${columns.map((c) => sql.quoteIdent(c, "column")).join(", ")}) ` +
      `VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
    values: columns.map((c) => row[c]!),
  };
}

/** The app's migration, played by the migrator: the stand-in tables and one row per party. */
export async function createStandIns(migratorUrl: string, tables: readonly StandInTable[]): Promise<void> {
  await withClient(migratorUrl, async (client) => {
    for (const table of tables) await client.query(createTableSql(table));
    for (const table of tables) {
      for (const party of PARTIES) {
        const { text, values } = insertSql(table.table, table.rows[party]);
        await client.query(text, values);
      }
    }
  });
}

/** A third user, C, and a fourth, D: another member of tenant A, and someone of no tenant. */
export const OTHER_USER = {
  C: { text: "00000000-0000-4000-8000-00000000000c", number: 103 },
  D: { text: "00000000-0000-4000-8000-00000000000d", number: 104 },
} as const;

/** The value of user C or D in a column of this type. */
export function otherUserValue(type: ColumnType, user: keyof typeof OTHER_USER): Value {
  return type === "uuid" || type === "text" ? OTHER_USER[user].text : OTHER_USER[user].number;
}

/** A new row of `party`'s tenant with some columns set (fresh key, the rest as the party's). */
export function rowWith(table: StandInTable, party: Party, values: Row): Row {
  return { ...freshRow(table, party), ...values };
}
