/**
 * What every Postgres dynamic resource shares: its type-token module and the handling of the
 * connection string, which must stay a secret in inputs and in the state the provider returns.
 */
import * as pulumi from "@pulumi/pulumi";

/** Type tokens read `pulumi-nodejs:dynamic/postgres:<Type>`, so policies can target each resource. */
export const DYNAMIC_MODULE = "postgres";

/** Connection input shared by the resources' args. */
export interface DatabaseConnectionArgs {
  /** Connection string; a secret. When omitted, LAUNCHPAD_DATABASE_URL is read when the provider runs. */
  readonly databaseUrl?: pulumi.Input<string>;
}

export function secretUrl(url: pulumi.Input<string> | undefined): pulumi.Input<string> | undefined {
  return url === undefined ? undefined : pulumi.secret(url);
}

/** Dynamic providers return their inputs as outputs: keep the connection string secret there too. */
export function connectionSecretOptions(
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "databaseUrl"] };
}
