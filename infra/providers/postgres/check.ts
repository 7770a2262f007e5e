/**
 * Check-failure helper for the providers. Kept apart from the resource classes' helpers so that
 * serializing a provider (into Pulumi state) never reaches into @pulumi/pulumi.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Turns an exception into check failures naming the offending property. */
export function checkFailure(property: string, run: () => unknown): pulumi.dynamic.CheckFailure[] {
  try {
    run();
    return [];
  } catch (error) {
    return [{ property, reason: error instanceof Error ? error.message : String(error) }];
  }
}
