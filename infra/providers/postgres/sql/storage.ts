/**
 * Supabase Storage as SQL: a bucket is a row of `storage.buckets`, access to its files is policies
 * on `storage.objects` scoped by `bucket_id`. On plain Postgres a minimal `storage` schema with the
 * same shape stands in for Supabase's.
 */
import type { BucketSpec, ObjectCommand, PolicyDefinition, TableName } from "../types";
import { apiRoleList } from "./auth-shim";
import { assertIdentifier, quoteLiteral } from "./ident";
import { CURRENT_USER_ID, validatePolicy } from "./rls";

export const STORAGE_OBJECTS: TableName = { schema: "storage", table: "objects" };
export const STORAGE_BUCKETS: TableName = { schema: "storage", table: "buckets" };

const OBJECT_COMMANDS: readonly ObjectCommand[] = ["select", "insert", "update", "delete"];

/** A bucket's row as stored in `storage.buckets` (the columns this stack manages). */
export interface BucketRow {
  readonly id: string;
  readonly name: string;
  readonly public: boolean;
  readonly fileSizeLimit: number | null;
  readonly allowedMimeTypes: readonly string[] | null;
}

const MIME_TYPE = /^[a-z0-9!#$&^_.+-]+\/(\*|[a-z0-9!#$&^_.+-]+)$/i;

/** Validates a bucket spec and resolves its defaults (private, no limits). */
export function bucketRow(spec: BucketSpec): BucketRow {
  // Bucket ids become part of policy names and storage paths: keep them to identifier characters.
  assertIdentifier(spec.id, "bucket id");
  const limit = spec.fileSizeLimit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) {
    throw new Error(`bucket ${spec.id}: fileSizeLimit must be a positive whole number of bytes`);
  }
  for (const type of spec.allowedMimeTypes ?? []) {
    if (!MIME_TYPE.test(type))
      throw new Error(`bucket ${spec.id}: ${JSON.stringify(type)} is not a MIME type`);
  }
  return {
    id: spec.id,
    name: spec.name ?? spec.id,
    public: spec.public ?? false,
    fileSizeLimit: limit ?? null,
    allowedMimeTypes:
      spec.allowedMimeTypes && spec.allowedMimeTypes.length > 0 ? [...spec.allowedMimeTypes] : null,
  };
}

/** Inserts or corrects the bucket row; values travel as parameters. */
export function upsertBucketQuery(row: BucketRow): { text: string; values: unknown[] } {
  return {
    text:
      "INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types) " +
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, " +
      "public = EXCLUDED.public, file_size_limit = EXCLUDED.file_size_limit, " +
      "allowed_mime_types = EXCLUDED.allowed_mime_types, updated_at = now()",
    values: [row.id, row.name, row.public, row.fileSizeLimit, row.allowedMimeTypes],
  };
}

export function deleteBucketQuery(id: string): { text: string; values: unknown[] } {
  return { text: "DELETE FROM storage.buckets WHERE id = $1", values: [id] };
}

/** Policy names of a bucket start with this, which is how a bucket finds its own policies. */
export function bucketPolicyPrefix(bucketId: string): string {
  return `${bucketId}:`;
}

/** One policy per (rule, command), named `<bucket>:<command>:<roles>` so names are stable. */
export function bucketPolicies(spec: BucketSpec): PolicyDefinition[] {
  const row = bucketRow(spec);
  const inBucket = `bucket_id = ${quoteLiteral(row.id)}`;
  const policies: PolicyDefinition[] = [];
  for (const rule of spec.access ?? []) {
    const predicate = rule.ownObjectsOnly ? `${inBucket} and owner_id = ${CURRENT_USER_ID}::text` : inBucket;
    for (const command of rule.commands) {
      if (!OBJECT_COMMANDS.includes(command)) {
        throw new Error(`bucket ${row.id}: command must be one of ${OBJECT_COMMANDS.join(", ")}`);
      }
      const suffix = rule.ownObjectsOnly ? ":own" : "";
      const policy: PolicyDefinition = {
        table: STORAGE_OBJECTS,
        name: `${bucketPolicyPrefix(row.id)}${command}:${[...rule.roles].sort().join(",")}${suffix}`,
        command,
        roles: rule.roles,
        using: command === "insert" ? undefined : predicate,
        withCheck: command === "insert" || command === "update" ? predicate : undefined,
      };
      validatePolicy(policy);
      if (policies.some((other) => other.name === policy.name)) {
        throw new Error(`bucket ${row.id}: two access rules grant ${command} to the same roles`);
      }
      policies.push(policy);
    }
  }
  return policies;
}

/**
 * The storage shim for plain Postgres, shaped like Supabase's tables (the columns policies and
 * clients use), with RLS on and the API roles granted as Supabase grants them.
 */
export function storageShimStatements(): string[] {
  const roles = apiRoleList();
  return [
    "CREATE SCHEMA IF NOT EXISTS storage",
    "CREATE TABLE IF NOT EXISTS storage.buckets (" +
      "id text PRIMARY KEY, name text NOT NULL UNIQUE, owner uuid, owner_id text, " +
      "public boolean NOT NULL DEFAULT false, file_size_limit bigint, allowed_mime_types text[], " +
      "created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS storage.objects (" +
      "id uuid PRIMARY KEY DEFAULT gen_random_uuid(), bucket_id text REFERENCES storage.buckets (id), " +
      "name text, owner uuid, owner_id text, metadata jsonb, version text, " +
      "created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(), " +
      "last_accessed_at timestamptz DEFAULT now(), UNIQUE (bucket_id, name))",
    "ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY",
    `GRANT USAGE ON SCHEMA storage TO ${roles}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON storage.buckets, storage.objects TO ${roles}`,
  ];
}
