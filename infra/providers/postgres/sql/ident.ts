/**
 * Quoting and validation of everything spliced into generated SQL. Names are validated against a
 * conservative grammar and always double-quoted, so a name can never change the statement's shape.
 */
import type { TableName } from "../types";

/** Postgres truncates identifiers beyond NAMEDATALEN - 1 bytes; refuse instead of silently truncating. */
const MAX_IDENTIFIER_BYTES = 63;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** A factory, not an Error subclass: the closure serializer cannot rebuild subclasses of Error. */
function invalid(what: string, value: string, reason: string): Error {
  const error = new Error(`Invalid ${what} ${JSON.stringify(value)}: ${reason}`);
  error.name = "InvalidIdentifierError";
  return error;
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** Throws unless `value` is a plain identifier (letters, digits, `_`, `$`; at most 63 bytes). */
export function assertIdentifier(value: string, what: string): void {
  if (typeof value !== "string" || value.length === 0) {
    throw invalid(what, String(value), "it must be a non-empty string");
  }
  if (!IDENTIFIER.test(value)) {
    throw invalid(what, value, "use letters, digits, '_' and '$', starting with a letter or '_'");
  }
  if (byteLength(value) > MAX_IDENTIFIER_BYTES) {
    throw invalid(what, value, `it is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
}

function doubleQuote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** A validated, double-quoted identifier. */
export function quoteIdent(value: string, what: string): string {
  assertIdentifier(value, what);
  return doubleQuote(value);
}

/** A role a policy is granted `TO`. PUBLIC is refused: policies name the roles they open rows to. */
export function quoteRole(role: string): string {
  if (typeof role === "string" && role.toLowerCase() === "public") {
    throw invalid("role", role, "policies are never granted TO PUBLIC; name the roles");
  }
  return quoteIdent(role, "role");
}

/**
 * Policy names are free text in Supabase ("Users can read their rows"), so they allow spaces and
 * punctuation, but no control characters and at most 63 bytes.
 */
export function quotePolicyName(name: string): string {
  if (typeof name !== "string" || name.trim().length === 0) {
    throw invalid("policy name", String(name), "it must be a non-empty string");
  }
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid("policy name", name, "it contains control characters");
  }
  if (byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw invalid("policy name", name, `it is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  return doubleQuote(name);
}

/** Parses `table` or `schema.table` (schema defaults to `public`) and validates both parts. */
export function parseTableName(ref: string, what = "table"): TableName {
  if (typeof ref !== "string") {
    throw invalid(what, String(ref), "it must be a string");
  }
  const parts = ref.split(".");
  if (parts.length > 2) {
    throw invalid(what, ref, "write it as `table` or `schema.table`");
  }
  const [schema, table] = parts.length === 2 ? [parts[0], parts[1]] : ["public", parts[0]];
  assertIdentifier(schema, `schema of ${what} ${JSON.stringify(ref)}`);
  assertIdentifier(table, what);
  return { schema, table };
}

/** `"schema"."table"`. */
export function qualifiedName(name: TableName): string {
  return `${quoteIdent(name.schema, "schema")}.${quoteIdent(name.table, "table")}`;
}

/** `schema.table`, for messages and ids. */
export function displayName(name: TableName): string {
  return `${name.schema}.${name.table}`;
}

/** A standard-conforming string literal. */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) {
    throw new Error("String literals cannot contain NUL characters");
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A lexical guard on SQL expressions taken from configuration: the expression must stand alone
 * inside the parentheses it is wrapped in (balanced parentheses, no statement separator, no
 * comments). Whether it parses is left to Postgres, inside the resource's transaction.
 */
export function assertExpression(expression: string, what: string): void {
  if (typeof expression !== "string" || expression.trim().length === 0) {
    throw new Error(`${what}: the expression is empty`);
  }
  let depth = 0;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (quote) {
      if (ch === quote) quote = expression[i + 1] === quote ? (i++, quote) : null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "$")
      throw new Error(`${what}: dollar-quoted strings are not allowed in policy expressions`);
    else if (ch === ";") throw new Error(`${what}: ';' is not allowed in an expression`);
    else if ((ch === "-" && expression[i + 1] === "-") || (ch === "/" && expression[i + 1] === "*")) {
      throw new Error(`${what}: comments are not allowed in an expression`);
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) throw new Error(`${what}: unbalanced ')' in ${expression}`);
  }
  if (quote) throw new Error(`${what}: unterminated quoted text in ${expression}`);
  if (depth !== 0) throw new Error(`${what}: unbalanced '(' in ${expression}`);
}
