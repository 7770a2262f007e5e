/**
 * SupabaseCompat: on plain Postgres, the pieces Supabase provides that policies and buckets rely on
 * (API roles, `auth.uid()`/`auth.role()`/`auth.jwt()`, optionally the `storage` tables). Only what is
 * missing is created, so on Supabase itself, or on a second apply, nothing is issued.
 */
import * as pulumi from "@pulumi/pulumi";
import { functionSource, relationExists } from "./catalog";
import { withTransaction, type ConnectionInputs, type Session } from "./connection";
import {
  connectionSecretOptions,
  DYNAMIC_MODULE,
  secretUrl,
  type DatabaseConnectionArgs,
} from "./resource-options";
import {
  API_ROLES,
  AUTH_FUNCTIONS,
  createAuthFunctionSql,
  createAuthSchemaSql,
  createRoleSql,
  grantAuthUsageStatements,
  type AuthFunction,
} from "./sql/auth-shim";
import { storageShimStatements } from "./sql/storage";

export interface SupabaseCompatInputs extends ConnectionInputs {
  /** Also provide the `storage` schema (buckets and objects tables). */
  readonly storage?: boolean;
}

export interface SupabaseCompatOutputs extends SupabaseCompatInputs {
  /** Pieces found missing by the last read; empty when the database offers them all. */
  readonly missing: string[];
}

const AUTH_NAMES = Object.keys(AUTH_FUNCTIONS) as AuthFunction[];

/**
 * Lists what the database lacks, as `role:anon`, `function:auth.uid`, `grant:anon`, `storage`, and
 * `clash:<role>` for an existing role of that name with the wrong powers (superuser, or BYPASSRLS
 * other than on service_role), which would silently defeat every policy.
 */
export async function missingCompat(session: Session, storage: boolean): Promise<string[]> {
  const missing: string[] = [];
  for (const role of API_ROLES) {
    const existing = await session.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      "SELECT rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = $1",
      [role.name],
    );
    if (existing.length === 0) missing.push(`role:${role.name}`);
    else if (existing[0].rolsuper || existing[0].rolbypassrls !== role.bypassRls) {
      missing.push(`clash:${role.name}`);
    }
  }
  for (const name of AUTH_NAMES) {
    // Any existing implementation counts (Supabase's differs from ours and must be left alone).
    if (!(await functionSource(session, "auth", name))) missing.push(`function:auth.${name}`);
  }
  for (const role of API_ROLES) {
    if (missing.includes(`role:${role.name}`) || missing.some((m) => m.startsWith("function:"))) {
      missing.push(`grant:${role.name}`);
      continue;
    }
    const [row] = await session.query<{ ok: boolean }>(
      "SELECT has_schema_privilege($1, 'auth', 'USAGE') AND has_function_privilege($1, 'auth.uid()', 'EXECUTE') AS ok",
      [role.name],
    );
    if (!row?.ok) missing.push(`grant:${role.name}`);
  }
  if (
    storage &&
    !(
      (await relationExists(session, "storage.buckets")) && (await relationExists(session, "storage.objects"))
    )
  ) {
    missing.push("storage");
  }
  return missing;
}

async function converge(inputs: SupabaseCompatInputs): Promise<SupabaseCompatOutputs> {
  return withTransaction(inputs, async (session) => {
    const missing = await missingCompat(session, inputs.storage === true);
    const clashes = missing.filter((m) => m.startsWith("clash:")).map((m) => m.slice("clash:".length));
    if (clashes.length > 0) {
      throw new Error(
        `Role name clash: ${clashes.join(", ")} already exist with other powers than Supabase gives them ` +
          "(anon and authenticated: no superuser, no BYPASSRLS; service_role: BYPASSRLS, no superuser). " +
          "Rename the existing roles or ALTER ROLE them; nothing was changed.",
      );
    }
    const context = "Supabase compatibility";
    for (const role of API_ROLES) {
      if (missing.includes(`role:${role.name}`))
        await session.change(createRoleSql(role.name, role.bypassRls), context);
    }
    const absent = AUTH_NAMES.filter((name) => missing.includes(`function:auth.${name}`));
    if (absent.length > 0) await session.change(createAuthSchemaSql(), context);
    for (const name of absent) await session.change(createAuthFunctionSql(name), context);
    if (missing.some((m) => m.startsWith("grant:"))) {
      for (const sql of grantAuthUsageStatements()) await session.change(sql, context);
    }
    if (missing.includes("storage")) {
      for (const sql of storageShimStatements()) await session.change(sql, `${context}: storage schema`);
    }
    return { ...inputs, missing: await missingCompat(session, inputs.storage === true) };
  });
}

export const supabaseCompatProvider: pulumi.dynamic.ResourceProvider<
  SupabaseCompatInputs,
  SupabaseCompatOutputs
> = {
  async diff(_id, olds, news) {
    return { changes: olds.storage !== news.storage || olds.missing.length > 0 };
  },

  async create(inputs) {
    return { id: "supabase-compat", outs: await converge(inputs) };
  },

  async read(id, props) {
    if (!props) throw new Error("Cannot read Supabase compatibility without its properties");
    const missing = await withTransaction(props, (s) => missingCompat(s, props.storage === true), {
      readOnly: true,
    });
    return { id, props: { ...props, missing } };
  },

  async update(_id, _olds, news) {
    return { outs: await converge(news) };
  },

  // Policies, buckets and app grants reference these roles and functions; they stay in place.
  async delete() {},
};

export interface SupabaseCompatArgs extends DatabaseConnectionArgs {
  readonly storage?: pulumi.Input<boolean>;
}

/** Type token `pulumi-nodejs:dynamic/postgres:SupabaseCompat`. Declare it only on plain Postgres. */
export class SupabaseCompat extends pulumi.dynamic.Resource {
  declare public readonly missing: pulumi.Output<string[]>;

  constructor(name: string, args: SupabaseCompatArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      supabaseCompatProvider,
      name,
      { ...args, databaseUrl: secretUrl(args.databaseUrl), missing: undefined },
      connectionSecretOptions(opts),
      DYNAMIC_MODULE,
      "SupabaseCompat",
    );
  }
}
