import type { RecordedResource, StackEvaluation } from "./types";

/** `--app` named apps the catalog does not declare; the evaluation stops before the program runs. */
export class UnknownAppsError extends Error {
  constructor(
    readonly unknown: string[],
    readonly catalog: string[],
  ) {
    super(`the catalog declares no app ${unknown.map((a) => `"${a}"`).join(", ")}`);
    this.name = "UnknownAppsError";
  }
}

/** Throws UnknownAppsError when an asked app is not in the catalog. */
export function checkAppsExist(asked: readonly string[], catalog: readonly string[]): void {
  const unknown = asked.filter((app) => !catalog.includes(app));
  if (unknown.length > 0) throw new UnknownAppsError(unknown, [...catalog]);
}

const APP_TYPE = "launchpad:index:App";

/**
 * The evaluation restricted to some apps: each app's component with everything under it, the
 * stack-wide provider registrations, and the per-app entries of the stack outputs.
 */
export function keepApps(evaluation: StackEvaluation, apps: readonly string[]): StackEvaluation {
  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  const appOf = new Map<string, string | undefined>();
  const owningApp = (resource: RecordedResource): string | undefined => {
    if (appOf.has(resource.urn)) return appOf.get(resource.urn);
    const parent = byUrn.get(resource.parent);
    const app = resource.type === APP_TYPE ? resource.name : parent ? owningApp(parent) : undefined;
    appOf.set(resource.urn, app);
    return app;
  };
  const catalog = new Set(evaluation.resources.filter((r) => r.type === APP_TYPE).map((r) => r.name));
  const resources = evaluation.resources.filter((r) => {
    const app = owningApp(r);
    return app === undefined ? r.type.startsWith("pulumi:providers:") : apps.includes(app);
  });
  // Outputs keyed by app (URLs, alerts) keep the asked apps only; stack-wide ones stay whole.
  const outputs = Object.fromEntries(
    Object.entries(evaluation.outputs).map(([key, value]) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [key, value];
      const entries = Object.entries(value);
      if (entries.length === 0 || !entries.every(([name]) => catalog.has(name))) return [key, value];
      return [key, Object.fromEntries(entries.filter(([name]) => apps.includes(name)))];
    }),
  );
  return { ...evaluation, resources, outputs };
}
