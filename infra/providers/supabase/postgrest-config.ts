/**
 * SupabasePostgrestConfig: what the project's Data API (PostgREST) exposes: only the schemas the
 * app declares, and at most `maxRows` rows per response. Its JWT secret, which the read also
 * returns, is dropped by the client and never reaches state.
 */

import * as pulumi from "@pulumi/pulumi";
import { management } from "./api";
import { schemaList } from "./inputs";
import { type Args, type CheckFailure, failure, projectRefFailures, TYPE_MODULE } from "./provider-kit";
import { patchDifferences, settingsDiff, settingsProvider } from "./settings-provider";
import type { PostgrestConfig, UpdatePostgrestConfigBody } from "./types";

export interface SupabasePostgrestConfigInputs {
  projectRef: string;
  /** Exposed schemas, in order (the first is the default one). */
  schemas: string[];
  /** Rows a single response may hold (the spec allows 0 to 1,000,000). */
  maxRows: number;
}

export type SupabasePostgrestConfigOutputs = SupabasePostgrestConfigInputs;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const MAX_ROWS_LIMIT = 1_000_000;

export function postgrestPatch(
  live: PostgrestConfig,
  inputs: SupabasePostgrestConfigInputs,
): UpdatePostgrestConfigBody {
  const patch: UpdatePostgrestConfigBody = {};
  if (schemaList(live.db_schema).join(",") !== inputs.schemas.join(","))
    patch.db_schema = inputs.schemas.join(",");
  if (live.max_rows !== inputs.maxRows) patch.max_rows = inputs.maxRows;
  return patch;
}

async function converge(inputs: SupabasePostgrestConfigInputs): Promise<SupabasePostgrestConfigOutputs> {
  await patchDifferences(
    () => management.getPostgrestConfig(inputs.projectRef),
    (live) => postgrestPatch(live, inputs),
    (patch) => management.updatePostgrestConfig(inputs.projectRef, patch),
  );
  return inputs;
}

async function refresh(old: SupabasePostgrestConfigOutputs): Promise<SupabasePostgrestConfigOutputs> {
  const live = await management.getPostgrestConfig(old.projectRef);
  return { ...old, schemas: schemaList(live.db_schema), maxRows: live.max_rows };
}

export const supabasePostgrestConfigProvider = settingsProvider<
  SupabasePostgrestConfigInputs,
  SupabasePostgrestConfigOutputs
>({
  what: "PostgREST config",
  idSuffix: "postgrest",
  converge,
  refresh,

  async check(_olds, news) {
    const failures: CheckFailure[] = [...projectRefFailures(news.projectRef)];
    const schemas = Array.isArray(news.schemas) ? news.schemas.map(String) : [];
    if (schemas.length === 0) failures.push(failure("schemas", "at least one schema is required"));
    schemas.forEach((s, i) => {
      if (!SCHEMA_NAME.test(s))
        failures.push(failure(`schemas[${i}]`, `"${s}" is not a lowercase schema name`));
    });
    if (new Set(schemas).size !== schemas.length)
      failures.push(failure("schemas", "a schema is listed twice"));
    if (!Number.isInteger(news.maxRows) || news.maxRows < 0 || news.maxRows > MAX_ROWS_LIMIT) {
      failures.push(failure("maxRows", `expected an integer from 0 to ${MAX_ROWS_LIMIT}`));
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return settingsDiff<SupabasePostgrestConfigInputs>(olds, news, ["schemas", "maxRows"]);
  },
});

/** The Data API settings of a Supabase project. Type token `pulumi-nodejs:dynamic/supabase:PostgrestConfig`. */
export class SupabasePostgrestConfig extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly schemas: pulumi.Output<string[]>;
  declare readonly maxRows: pulumi.Output<number>;

  constructor(name: string, args: Args<SupabasePostgrestConfigInputs>, opts?: pulumi.CustomResourceOptions) {
    super(supabasePostgrestConfigProvider, name, args, opts, TYPE_MODULE, "PostgrestConfig");
  }
}
