import * as path from "node:path";

/** The slice of a Pulumi dynamic provider the diff uses: its own `diff` (typed inputs vary by provider). */
interface Differ {
  diff?: (id: string, olds: never, news: never) => Promise<{ replaces?: string[] }>;
}

/** Dynamic type token → the module under infra/providers and the provider object it exports. */
export const DYNAMIC_PROVIDERS: Readonly<
  Record<string, readonly [module: "fly" | "postgres" | "supabase", exported: string]>
> = {
  "pulumi-nodejs:dynamic/fly:App": ["fly", "flyAppProvider"],
  "pulumi-nodejs:dynamic/fly:Certificate": ["fly", "flyCertificateProvider"],
  "pulumi-nodejs:dynamic/fly:IpAssignment": ["fly", "flyIpAssignmentProvider"],
  "pulumi-nodejs:dynamic/fly:Machine": ["fly", "flyMachineProvider"],
  "pulumi-nodejs:dynamic/fly:MachineHandover": ["fly", "flyMachineHandoverProvider"],
  "pulumi-nodejs:dynamic/fly:Secrets": ["fly", "flySecretsProvider"],
  "pulumi-nodejs:dynamic/fly:Volume": ["fly", "flyVolumeProvider"],
  "pulumi-nodejs:dynamic/supabase:AuthConfig": ["supabase", "supabaseAuthConfigProvider"],
  "pulumi-nodejs:dynamic/supabase:Backups": ["supabase", "supabaseBackupsProvider"],
  "pulumi-nodejs:dynamic/supabase:NetworkRestrictions": ["supabase", "supabaseNetworkRestrictionsProvider"],
  "pulumi-nodejs:dynamic/supabase:PostgrestConfig": ["supabase", "supabasePostgrestConfigProvider"],
  "pulumi-nodejs:dynamic/supabase:SslEnforcement": ["supabase", "supabaseSslEnforcementProvider"],
  "pulumi-nodejs:dynamic/postgres:CronJob": ["postgres", "cronJobProvider"],
  "pulumi-nodejs:dynamic/postgres:PlatformTables": ["postgres", "platformTablesProvider"],
  "pulumi-nodejs:dynamic/postgres:StorageBucket": ["postgres", "storageBucketProvider"],
  "pulumi-nodejs:dynamic/postgres:SupabaseCompat": ["postgres", "supabaseCompatProvider"],
  "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity": ["postgres", "tableRlsProvider"],
};

/** Inputs that are the engine's, not the provider's (the serialized provider code). */
const ENGINE_INPUTS = ["__provider"];

export const isDynamicType = (type: string): boolean => type.startsWith("pulumi-nodejs:dynamic/");

/**
 * What a dynamic provider's own `diff` says must be replaced, given the old and new inputs (the
 * mocked state of an offline evaluation is its inputs). The providers are those of the code at
 * `codeRoot` (the work tree's: `pulumi up` diffs with the new program's provider), loaded on
 * first use. A type without a known provider, or a diff that throws, gives an `error`.
 */
export function dynamicReplacements(
  codeRoot: string,
): (
  type: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) => Promise<{ replaces: string[] } | { error: string }> {
  const modules = new Map<string, Record<string, Differ>>();
  const providerOf = (type: string): Differ | undefined => {
    const entry = DYNAMIC_PROVIDERS[type];
    if (!entry) return undefined;
    const [module, exported] = entry;
    if (!modules.has(module)) {
      modules.set(
        module,
        require(path.join(codeRoot, "infra", "providers", module, "index.ts")) as Record<string, Differ>,
      );
    }
    return modules.get(module)![exported];
  };
  const strip = (inputs: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(inputs).filter(([key]) => !ENGINE_INPUTS.includes(key)));
  return async (type, olds, news) => {
    const provider = providerOf(type);
    if (!provider?.diff) return { error: `no provider diff known for ${type}` };
    try {
      const diff = provider.diff as (
        id: string,
        olds: object,
        news: object,
      ) => Promise<{ replaces?: string[] }>;
      const result = await diff("offline", strip(olds), strip(news));
      return { replaces: [...(result.replaces ?? [])].sort() };
    } catch (error) {
      return { error: `${type} diff failed: ${(error as Error).message}` };
    }
  };
}
