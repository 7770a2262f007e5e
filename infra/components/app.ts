import * as pulumi from "@pulumi/pulumi";
import type { AppSpec, EnvironmentProfile, SecretValues } from "../config";
import { siteUrl } from "../naming";

export interface AppArgs {
  /** The app's declaration from the catalog, overrides of this stack applied. */
  spec: AppSpec;
  /** The stack's environment profile. */
  environment: EnvironmentProfile;
  /** The stack's secret values; each part takes the ones it names. */
  secrets: SecretValues;
}

/**
 * One application of the fleet in one environment. Its parts (frontend, backend, database,
 * repository, alerts) are child components, declared only for the parts the catalog gives it.
 */
export class App extends pulumi.ComponentResource {
  /** Public URL of the app's site in this environment. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:index:App", name, {}, opts);
    this.url = pulumi.output(siteUrl(name, args.spec, args.environment));
    this.registerOutputs({ url: this.url });
  }
}
