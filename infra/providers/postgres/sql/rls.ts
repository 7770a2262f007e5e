/**
 * Row Level Security SQL: policies generated from a table's RLS model, Supabase style —
 * `(select auth.uid())` so the call is evaluated once per statement rather than per row, `TO` named
 * roles, one policy per command, and UPDATE restricted by both USING and WITH CHECK.
 */
import type { PolicyCommand, PolicyDefinition, PolicySpec, RlsModel, TableName } from "../types";
import { CURRENT_USER_ID } from "./current-user";
import { hasAdmins, membershipHelperStatements, membershipPolicies } from "./membership";
import {
  assertExpression,
  displayName,
  parseTableName,
  qualifiedName,
  quoteIdent,
  quoteLiteral,
  quotePolicyName,
  quoteRole,
} from "./ident";

export { CURRENT_USER_ID };

const DEFAULT_ROLES = ["authenticated"] as const;
const COMMANDS: readonly PolicyCommand[] = ["select", "insert", "update", "delete", "all"];
const ROW_COMMANDS = ["select", "insert", "update", "delete"] as const;

/**
 * sha256 in hex. `crypto` is required here rather than imported: the providers are serialized into
 * Pulumi state, and a required built-in is re-required there instead of being captured by value.
 */
function sha256(text: string): string {
  const { createHash }: typeof import("crypto") = require("crypto");
  return createHash("sha256").update(text).digest("hex");
}

/** Marker prefix of the policy comment carrying the definition hash. */
export const POLICY_HASH_PREFIX = "launchpad:sha256:";

export function enableRlsSql(table: TableName): string {
  return `ALTER TABLE ${qualifiedName(table)} ENABLE ROW LEVEL SECURITY`;
}

/** FORCE makes the table owner subject to the policies too. */
export function forceRlsSql(table: TableName): string {
  return `ALTER TABLE ${qualifiedName(table)} FORCE ROW LEVEL SECURITY`;
}

/** One policy per command, with the same row predicate for reading and writing. */
function predicatePolicies(
  table: TableName,
  kind: string,
  roles: readonly string[],
  predicate: string,
): PolicyDefinition[] {
  return ROW_COMMANDS.map((command) => ({
    table,
    name: `${table.table}_${kind}_${command}`,
    command,
    roles,
    using: command === "insert" ? undefined : predicate,
    withCheck: command === "insert" || command === "update" ? predicate : undefined,
  }));
}

/** Generates the policies a table's RLS model amounts to, validating names and expressions. */
export function policiesForModel(table: TableName, model: RlsModel): PolicyDefinition[] {
  let policies: PolicyDefinition[];
  switch (model.model) {
    case "tenant": {
      const membership = parseTableName(model.membershipTable, "membership table");
      if (membership.schema === table.schema && membership.table === table.table) {
        throw new Error(
          `RLS model of ${displayName(table)}: a table cannot be its own membership table ` +
            `(its policy would recurse); give the membership table the "membership" model instead`,
        );
      }
      const tenants =
        `select m.${quoteIdent(model.membershipTenantColumn, "membership tenant column")} ` +
        `from ${qualifiedName(membership)} m ` +
        `where m.${quoteIdent(model.membershipUserColumn, "membership user column")} = ${CURRENT_USER_ID}`;
      const predicate = `${quoteIdent(model.column, "tenant column")} in (${tenants})`;
      policies = predicatePolicies(table, "tenant", model.roles ?? DEFAULT_ROLES, predicate);
      break;
    }
    case "owner": {
      const predicate = `${quoteIdent(model.column, "owner column")} = ${CURRENT_USER_ID}`;
      policies = predicatePolicies(table, "owner", model.roles ?? DEFAULT_ROLES, predicate);
      break;
    }
    case "membership":
      policies = membershipPolicies(table, model);
      break;
    case "policies":
      policies = model.policies.map((spec) => explicitPolicy(table, spec));
      break;
    default:
      throw new Error(
        `RLS model of ${displayName(table)}: unknown model ${JSON.stringify((model as { model: unknown }).model)}`,
      );
  }
  assertUniqueNames(table, policies);
  policies.forEach(validatePolicy);
  return policies;
}

/** The model's policies plus explicit ones for other roles, checked together for name clashes. */
export function tablePolicies(
  table: TableName,
  model: RlsModel,
  additional: readonly PolicySpec[],
): PolicyDefinition[] {
  const policies = [
    ...policiesForModel(table, model),
    ...additional.map((spec) => explicitPolicy(table, spec)),
  ];
  assertUniqueNames(table, policies);
  policies.forEach(validatePolicy);
  return policies;
}

function explicitPolicy(table: TableName, spec: PolicySpec): PolicyDefinition {
  return {
    table,
    name: spec.name,
    command: spec.command,
    roles: spec.roles,
    using: spec.using,
    withCheck: spec.withCheck,
  };
}

function assertUniqueNames(table: TableName, policies: readonly PolicyDefinition[]): void {
  const seen = new Set<string>();
  for (const policy of policies) {
    if (seen.has(policy.name)) {
      throw new Error(
        `RLS of ${displayName(table)}: policy name ${JSON.stringify(policy.name)} is used twice`,
      );
    }
    seen.add(policy.name);
  }
}

/** Checks the shape rules Postgres and the checklist impose, before any SQL runs. */
export function validatePolicy(policy: PolicyDefinition): void {
  const where = `policy ${JSON.stringify(policy.name)} on ${displayName(policy.table)}`;
  quotePolicyName(policy.name);
  if (!COMMANDS.includes(policy.command)) {
    throw new Error(`${where}: command must be one of ${COMMANDS.join(", ")}`);
  }
  if (!Array.isArray(policy.roles) || policy.roles.length === 0) {
    throw new Error(`${where}: name the roles it applies to (policies are never granted to PUBLIC)`);
  }
  policy.roles.forEach(quoteRole);
  const { command, using, withCheck } = policy;
  if ((command === "select" || command === "delete") && withCheck !== undefined) {
    throw new Error(`${where}: ${command.toUpperCase()} policies take USING only, not WITH CHECK`);
  }
  if (command === "insert" && using !== undefined) {
    throw new Error(`${where}: INSERT policies take WITH CHECK only, not USING`);
  }
  if (command !== "insert" && using === undefined) {
    throw new Error(`${where}: a ${command.toUpperCase()} policy needs a USING expression`);
  }
  if ((command === "insert" || command === "update" || command === "all") && withCheck === undefined) {
    throw new Error(`${where}: a ${command.toUpperCase()} policy needs a WITH CHECK expression`);
  }
  if (using !== undefined) assertExpression(using, `${where} USING`);
  if (withCheck !== undefined) assertExpression(withCheck, `${where} WITH CHECK`);
}

export function createPolicySql(policy: PolicyDefinition): string {
  const parts = [
    `CREATE POLICY ${quotePolicyName(policy.name)} ON ${qualifiedName(policy.table)}`,
    `AS PERMISSIVE FOR ${policy.command.toUpperCase()}`,
    `TO ${policy.roles.map(quoteRole).join(", ")}`,
  ];
  if (policy.using !== undefined) parts.push(`USING (${policy.using})`);
  if (policy.withCheck !== undefined) parts.push(`WITH CHECK (${policy.withCheck})`);
  return parts.join(" ");
}

export function dropPolicySql(table: TableName, name: string): string {
  return `DROP POLICY ${quotePolicyName(name)} ON ${qualifiedName(table)}`;
}

/**
 * A digest of everything that defines the policy. pg_policies shows expressions deparsed, so the
 * configured text cannot be compared with the catalog; the digest stored beside the policy can.
 */
export function policyHash(policy: PolicyDefinition): string {
  const canonical = JSON.stringify([
    policy.table.schema,
    policy.table.table,
    policy.name,
    policy.command,
    [...policy.roles].sort(),
    policy.using ?? null,
    policy.withCheck ?? null,
  ]);
  return sha256(canonical);
}

/**
 * The comment stored on a policy: the definition hash, and optionally a fingerprint of the policy
 * as the server deparsed it right after creation, which exposes hand edits (ALTER POLICY keeps the
 * comment, but changes the deparsed form).
 */
export function policyComment(policy: PolicyDefinition, fingerprint?: string): string {
  return `${POLICY_HASH_PREFIX}${policyHash(policy)}${fingerprint ? `:${fingerprint}` : ""}`;
}

export function commentPolicySql(policy: PolicyDefinition, fingerprint?: string): string {
  return (
    `COMMENT ON POLICY ${quotePolicyName(policy.name)} ON ${qualifiedName(policy.table)} ` +
    `IS ${quoteLiteral(policyComment(policy, fingerprint))}`
  );
}

export interface PolicyComment {
  readonly hash: string;
  readonly fingerprint?: string;
}

/** Parses a comment written by `policyComment`; undefined when the comment is not ours. */
export function parsePolicyComment(comment: string | null | undefined): PolicyComment | undefined {
  if (!comment || !comment.startsWith(POLICY_HASH_PREFIX)) return undefined;
  const [hash, fingerprint] = comment.slice(POLICY_HASH_PREFIX.length).split(":");
  return /^[0-9a-f]{64}$/.test(hash) ? { hash, fingerprint: fingerprint || undefined } : undefined;
}

/** The live form of a policy as pg_policy holds it, reduced to a digest. */
export function policyFingerprint(live: {
  command: string;
  permissive: boolean;
  roles: readonly string[];
  qual: string | null;
  withCheck: string | null;
}): string {
  const canonical = JSON.stringify([
    live.command,
    live.permissive,
    [...live.roles].sort(),
    live.qual,
    live.withCheck,
  ]);
  return sha256(canonical).slice(0, 32);
}

/** Creating one policy: the statement and the comment carrying its hash. */
export function policyStatements(policy: PolicyDefinition): string[] {
  return [createPolicySql(policy), commentPolicySql(policy)];
}

/** Everything a table's RLS amounts to on an empty slate, in apply order (for review). */
export function tableRlsStatements(table: TableName, model: RlsModel): string[] {
  return [
    enableRlsSql(table),
    forceRlsSql(table),
    ...helperStatements(table, model),
    ...policiesForModel(table, model).flatMap(policyStatements),
  ];
}

/** The membership helper a model's policies call, created before them. */
export function helperStatements(table: TableName, model: RlsModel): string[] {
  return model.model === "membership" && hasAdmins(model) ? membershipHelperStatements(table, model) : [];
}
