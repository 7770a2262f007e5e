/**
 * The app catalog and environment profile of a stack, for rules whose expectations live in config
 * (declared tables, required checks, budgets). Read from the same Pulumi files `pulumi preview`
 * uses; the stack is the one a resource's URN names. Secrets are not read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  PROJECT_DIR,
  PROJECT_FILE,
  readLayeredConfig,
  stackFile,
  validatePlatform,
} from "../../../infra/config";
import type { PolicyResource } from "@pulumi/policy";
import type { AppSpec, PlatformSpec } from "../../../infra/config";
import { apps, byApp } from "./graph";
import { stackOfUrn, stackRootUrn } from "./values";

/** Rules reading the catalog take the project folder from their config (default: this repository). */
export const PROJECT_DIR_SCHEMA = {
  projectDir: { type: "string", description: "Folder holding Pulumi.yaml and the stack files" },
} as const;

interface Cached {
  stamp: string;
  platform: PlatformSpec;
}

const cache = new Map<string, Cached>();

function stampOf(dir: string, stack: string): string {
  return [PROJECT_FILE, stackFile(stack)]
    .map((file) => {
      const full = path.join(dir, file);
      return fs.existsSync(full) ? `${fs.statSync(full).mtimeMs}` : "-";
    })
    .join(":");
}

/**
 * The validated catalog and profile of a stack. Resource policies run once per resource, so the
 * parse is kept until one of the two files changes.
 */
export function stackPlatform(stack: string, projectDir: string = PROJECT_DIR): PlatformSpec {
  const dir = path.resolve(projectDir);
  const key = `${dir}\u0000${stack}`;
  const stamp = stampOf(dir, stack);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.platform;
  const platform = validatePlatform(stack, readLayeredConfig(stack, dir));
  cache.set(key, { stamp, platform });
  return platform;
}

/** The catalog entry of an app, if the stack's catalog declares it. */
export function appSpec(platform: PlatformSpec, app: string): AppSpec | undefined {
  return Object.prototype.hasOwnProperty.call(platform.apps, app) ? platform.apps[app] : undefined;
}

/** The stack a stack policy runs on and its catalog; undefined for an empty stack. */
export function platformOfStack(args: {
  resources: readonly { urn: string }[];
  getConfig<U extends object>(): U;
}): { stack: string; platform: PlatformSpec } | undefined {
  const first = args.resources[0];
  if (!first) return undefined;
  const stack = stackOfUrn(first.urn);
  const { projectDir } = args.getConfig<{ projectDir?: string }>();
  return { stack, platform: stackPlatform(stack, projectDir) };
}

/** One app of a stack's catalog, as a stack policy checks it. */
export interface CatalogApp {
  app: string;
  spec: AppSpec;
  /** Where its findings go: its App component, or the stack root when the stack declares none. */
  urn: string;
  /** The resources under its App component. */
  resources: PolicyResource[];
}

/** Each app of the stack's catalog with its findings' URN and its resources. */
export function catalogApps(
  resources: readonly PolicyResource[],
  context: { stack: string; platform: PlatformSpec },
): CatalogApp[] {
  const components = apps(resources);
  const grouped = byApp(resources);
  return Object.entries(context.platform.apps).map(([app, spec]) => ({
    app,
    spec,
    urn: components.get(app)?.urn ?? stackRootUrn(context.stack),
    resources: grouped.get(app) ?? [],
  }));
}
