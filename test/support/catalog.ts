import { PROJECT_DIR, readLayeredConfig, validatePlatform, type AppSpec } from "../../infra/config";

/**
 * The apps of the catalog as a stack sees them (overrides applied), in declaration order, read
 * through the project's own config loader: tests take their expectations from here, never from a
 * list of the seed apps.
 */
export function catalogApps(
  stack: string = "prod",
  projectDir: string = PROJECT_DIR,
): Record<string, AppSpec> {
  return validatePlatform(stack, readLayeredConfig(stack, projectDir)).apps;
}

/** The names of the catalog's apps, in declaration order. */
export function catalogAppNames(stack: string = "prod", projectDir: string = PROJECT_DIR): string[] {
  return Object.keys(catalogApps(stack, projectDir));
}
