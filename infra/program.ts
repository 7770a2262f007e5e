import { loadPlatformConfig, type LoadOptions } from "./config";
import { declarePlatform, type PlatformOutputs } from "./platform";

/**
 * The Pulumi program: load and validate the stack's config, then declare the platform. Invalid config
 * throws before any resource is registered. `pulumi up` and the offline engine both run this.
 */
export async function program(options: LoadOptions = {}): Promise<PlatformOutputs> {
  return declarePlatform(loadPlatformConfig(options));
}
