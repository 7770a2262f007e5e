/** Navigating the resource graph a stack policy receives (parents, property dependencies). */
import type { PolicyResource } from "@pulumi/policy";
import { APP_COMPONENT } from "./types";

export function ofType(resources: readonly PolicyResource[], ...types: string[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type));
}

/** The App component a resource belongs to (itself, or its nearest App ancestor). */
export function appOf(resource: PolicyResource): PolicyResource | undefined {
  const seen = new Set<string>();
  for (let r: PolicyResource | undefined = resource; r && !seen.has(r.urn); r = r.parent) {
    if (r.type === APP_COMPONENT) return r;
    seen.add(r.urn);
  }
  return undefined;
}

/** Resources grouped by the app they belong to (the app's logical name is its catalog name). */
export function byApp(resources: readonly PolicyResource[]): Map<string, PolicyResource[]> {
  const groups = new Map<string, PolicyResource[]>();
  for (const resource of resources) {
    const app = appOf(resource);
    if (!app || app === resource) continue;
    groups.set(app.name, [...(groups.get(app.name) ?? []), resource]);
  }
  return groups;
}

/** The App components of the stack, by name. */
export function apps(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
  return new Map(ofType(resources, APP_COMPONENT).map((r) => [r.name, r]));
}

/** Resources a property's value was computed from (CrossGuard's property dependencies). */
export function sourcesOf(resource: PolicyResource, property: string): PolicyResource[] {
  return resource.propertyDependencies[property] ?? [];
}

/** Whether `resource` takes `property` from `source` (e.g. a firewall's `projectId` from a project). */
export function takesFrom(resource: PolicyResource, property: string, source: PolicyResource): boolean {
  return sourcesOf(resource, property).some((r) => r.urn === source.urn);
}

/**
 * Every resource a property's value was computed from, directly or through the inputs of those
 * resources in turn.
 */
export function upstreamOf(resource: PolicyResource, property: string): PolicyResource[] {
  const found = new Map<string, PolicyResource>();
  const queue = [...sourcesOf(resource, property)];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (found.has(next.urn)) continue;
    found.set(next.urn, next);
    for (const deps of Object.values(next.propertyDependencies)) queue.push(...deps);
  }
  return [...found.values()];
}
