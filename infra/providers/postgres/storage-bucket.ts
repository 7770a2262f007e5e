/**
 * StorageBucket: a Supabase Storage bucket (its `storage.buckets` row) and the policies on
 * `storage.objects` scoped to it. Private by default.
 */
import * as pulumi from "@pulumi/pulumi";
import { relationExists } from "./catalog";
import { withTransaction, type ConnectionInputs, type Session } from "./connection";
import { checkFailure } from "./check";
import {
  connectionSecretOptions,
  DYNAMIC_MODULE,
  secretUrl,
  type DatabaseConnectionArgs,
} from "./resource-options";
import { convergeRls, readRls, removeRls, rlsDrift, type RlsDesired, type RlsObserved } from "./rls-state";
import {
  bucketPolicies,
  bucketPolicyPrefix,
  bucketRow,
  deleteBucketQuery,
  STORAGE_OBJECTS,
  upsertBucketQuery,
  type BucketRow,
} from "./sql/storage";
import type { BucketSpec } from "./types";

export interface StorageBucketInputs extends ConnectionInputs, Omit<BucketSpec, "id"> {
  /** The bucket id, when the provider is driven directly. */
  readonly id?: string;
  /**
   * The bucket id as the resource class registers it: Pulumi reserves `id` for the resource's own
   * id and drops an input of that name, so the class passes the bucket's id here.
   */
  readonly bucketId?: string;
}

/** Inputs whose bucket id is resolved. */
type ResolvedInputs = StorageBucketInputs & BucketSpec;

/** The inputs with `id` taken from `bucketId` (as registered by the StorageBucket class). */
function bucketInputs(inputs: StorageBucketInputs): ResolvedInputs {
  // An empty id fails bucketRow's validation with a message naming the bucket id.
  return { ...inputs, id: inputs.bucketId ?? inputs.id ?? "" };
}

/** The property a caller named the bucket by, for check failures and replacements. */
function idProperty(inputs: StorageBucketInputs): string {
  return inputs.bucketId === undefined ? "id" : "bucketId";
}

/** What the provider keeps as state: the bucket id under `bucketId`, never under the reserved `id`. */
function bucketOutputs(outputs: StorageBucketOutputs): StorageBucketOutputs {
  const { id, ...rest } = outputs;
  return { ...rest, bucketId: id } as StorageBucketOutputs;
}

/** A bucket's inputs as the resource class registers them (Pulumi drops an input named `id`). */
export function storageBucketInputs<T extends { readonly id: unknown }>(
  args: T,
): Omit<T, "id"> & { bucketId: T["id"] } {
  const { id, ...rest } = args;
  return { ...rest, bucketId: id };
}

export interface StorageBucketObserved {
  /** The bucket row, or null when it is missing. */
  readonly row: BucketRow | null;
  /** RLS of storage.objects, restricted to this bucket's policies. */
  readonly objects: RlsObserved;
}

export interface StorageBucketOutputs extends StorageBucketInputs {
  readonly observed: StorageBucketObserved;
}

const NO_STORAGE =
  "This database has no Supabase Storage schema (storage.buckets / storage.objects not found). " +
  "On Supabase, Storage is part of every project; on plain Postgres declare SupabaseCompat with storage: true first.";

function desiredPolicies(spec: BucketSpec): RlsDesired {
  return {
    table: STORAGE_OBJECTS,
    policies: bucketPolicies(spec),
    // storage.objects belongs to Supabase (supabase_storage_admin): its RLS flags are not ours to set.
    manageFlags: false,
    policyPrefix: bucketPolicyPrefix(spec.id),
  };
}

async function requireStorage(session: Session): Promise<void> {
  const present =
    (await relationExists(session, "storage.buckets")) && (await relationExists(session, "storage.objects"));
  if (!present) throw new Error(NO_STORAGE);
}

async function readBucket(session: Session, spec: BucketSpec): Promise<StorageBucketObserved | undefined> {
  if (!(await relationExists(session, "storage.buckets"))) return undefined;
  const rows = await session.query<{
    id: string;
    name: string;
    public: boolean;
    file_size_limit: string | null;
    allowed_mime_types: string[] | null;
  }>("SELECT id, name, public, file_size_limit, allowed_mime_types FROM storage.buckets WHERE id = $1", [
    spec.id,
  ]);
  const found = rows[0];
  const objects = await readRls(session, STORAGE_OBJECTS, bucketPolicyPrefix(spec.id));
  if (!objects) return undefined;
  const row: BucketRow | null = found
    ? {
        id: found.id,
        name: found.name,
        public: found.public,
        fileSizeLimit: found.file_size_limit === null ? null : Number(found.file_size_limit),
        allowedMimeTypes:
          found.allowed_mime_types && found.allowed_mime_types.length > 0 ? found.allowed_mime_types : null,
      }
    : null;
  return { row, objects };
}

/** Differences between the observed bucket and the declaration; empty when in sync. */
export function storageBucketDifferences(
  observed: StorageBucketObserved | undefined,
  inputs: StorageBucketInputs,
): string[] {
  const spec = bucketInputs(inputs);
  if (!observed) return [`bucket ${spec.id}: storage schema not found`];
  const drift: string[] = [];
  const wanted = bucketRow(spec);
  if (!observed.row) drift.push(`bucket ${spec.id}: missing from storage.buckets`);
  else if (JSON.stringify(observed.row) !== JSON.stringify(wanted)) {
    drift.push(
      `bucket ${spec.id}: settings differ (${JSON.stringify(observed.row)} instead of ${JSON.stringify(wanted)})`,
    );
  }
  if (!observed.objects.rlsEnabled) drift.push("storage.objects: row level security is disabled");
  return [...drift, ...rlsDrift(observed.objects, desiredPolicies(spec))];
}

async function apply(inputs: ResolvedInputs): Promise<StorageBucketOutputs> {
  const wanted = bucketRow(inputs);
  const policies = desiredPolicies(inputs);
  return withTransaction(inputs, async (session) => {
    await requireStorage(session);
    const before = await readBucket(session, inputs);
    if (JSON.stringify(before?.row) !== JSON.stringify(wanted)) {
      const { text, values } = upsertBucketQuery(wanted);
      await session.change(text, `bucket ${wanted.id}`, values);
    }
    await convergeRls(session, policies, `storage policies of bucket ${wanted.id}`);
    const observed = await readBucket(session, inputs);
    if (!observed) throw new Error(NO_STORAGE);
    return { ...inputs, observed };
  });
}

export const storageBucketProvider: pulumi.dynamic.ResourceProvider<
  StorageBucketInputs,
  StorageBucketOutputs
> = {
  async check(_olds, inputs) {
    const news = bucketInputs(inputs);
    const failures = [
      ...checkFailure(idProperty(inputs), () => bucketRow(news)),
      ...checkFailure("access", () => bucketPolicies(news)),
    ];
    return failures.length > 0 ? { failures } : { inputs };
  },

  async diff(_id, oldOutputs, newInputs) {
    const olds = bucketInputs(oldOutputs);
    const news = bucketInputs(newInputs);
    if (olds.id !== news.id)
      return { changes: true, replaces: [idProperty(newInputs)], deleteBeforeReplace: true };
    const declared = (s: BucketSpec) => JSON.stringify([bucketRow(s), s.access ?? []]);
    return {
      changes:
        declared(olds) !== declared(news) || storageBucketDifferences(oldOutputs.observed, news).length > 0,
    };
  },

  async create(inputs) {
    const spec = bucketInputs(inputs);
    return { id: spec.id, outs: bucketOutputs(await apply(spec)) };
  },

  async read(id, stored) {
    if (!stored) throw new Error(`Cannot read bucket ${id} without its properties`);
    const props = bucketInputs(stored);
    const observed = await withTransaction(props, (session) => readBucket(session, props), {
      readOnly: true,
    });
    return observed?.row ? { id, props: { ...stored, observed } } : {};
  },

  async update(_id, _olds, news) {
    return { outs: bucketOutputs(await apply(bucketInputs(news))) };
  },

  async delete(_id, stored) {
    const props = bucketInputs(stored);
    await withTransaction(props, async (session) => {
      if (!(await relationExists(session, "storage.buckets"))) return;
      const [count] = await session.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM storage.objects WHERE bucket_id = $1",
        [props.id],
      );
      if (count && count.n > 0) {
        throw new Error(
          `bucket ${props.id} still holds ${count.n} objects: empty it before deleting the bucket`,
        );
      }
      await removeRls(session, STORAGE_OBJECTS, bucketPolicyPrefix(props.id), `removing bucket ${props.id}`);
      const { text, values } = deleteBucketQuery(props.id);
      await session.change(text, `removing bucket ${props.id}`, values);
    });
  },
};

export interface StorageBucketArgs extends DatabaseConnectionArgs {
  readonly id: pulumi.Input<string>;
  readonly name?: pulumi.Input<string>;
  readonly public?: pulumi.Input<boolean>;
  readonly fileSizeLimit?: pulumi.Input<number>;
  readonly allowedMimeTypes?: pulumi.Input<pulumi.Input<string>[]>;
  readonly access?: pulumi.Input<BucketSpec["access"]>;
}

/** Type token `pulumi-nodejs:dynamic/postgres:StorageBucket`. */
export class StorageBucket extends pulumi.dynamic.Resource {
  declare public readonly observed: pulumi.Output<StorageBucketObserved>;

  constructor(name: string, args: StorageBucketArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      storageBucketProvider,
      name,
      { ...storageBucketInputs(args), databaseUrl: secretUrl(args.databaseUrl), observed: undefined },
      connectionSecretOptions(opts),
      DYNAMIC_MODULE,
      "StorageBucket",
    );
  }
}
