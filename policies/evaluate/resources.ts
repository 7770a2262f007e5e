/**
 * Recorded resources (tools/engine) in the shapes CrossGuard hands to policies: `props` deserialized
 * fresh for every call and wrapped in the proxy that throws on unknown values, `opts`, `provider`,
 * and for stack policies the parent / dependency / property-dependency links.
 */
import type { PolicyProviderResource, PolicyResource, PolicyResourceOptions } from "@pulumi/policy";
import type { RecordedResource } from "../../tools/engine/types";

interface ProxyModule {
  unknownCheckingProxy<T>(value: T): T;
  unknownStringValue: string;
}

// The sentinels are internal to @pulumi/policy; the proxy module is what CrossGuard itself uses.
const proxy = require("@pulumi/policy/proxy") as ProxyModule;

/** What the offline engine records for a value unknown at preview time. */
const RECORDED_UNKNOWN = "[unknown]";

/** Recorded inputs → CrossGuard props: a fresh copy, with unknowns as CrossGuard's sentinels. */
function deserialize(value: unknown): unknown {
  if (value === RECORDED_UNKNOWN) return proxy.unknownStringValue;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = deserialize(value[i]);
    return items;
  }
  // Plain loops: this runs for every resource a policy looks at, and copies dominate an audit.
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = deserialize(record[key]);
  return copy;
}

function policyProps(resource: RecordedResource): Record<string, unknown> {
  return proxy.unknownCheckingProxy(deserialize(resource.inputs) as Record<string, unknown>);
}

/**
 * A resource's props, copied when first read: most policies look at a few types and return on the
 * others before reading props, so most copies are never made.
 */
export function propsReader(resource: RecordedResource): () => Record<string, unknown> {
  let props: Record<string, unknown> | undefined;
  return () => (props ??= policyProps(resource));
}

/**
 * CrossGuard's resource options. The engine also records `retainOnDelete` and `dependsOn`, which
 * CrossGuard does not pass; they are added for offline readers, and no rule relies on them.
 */
export function policyOptions(
  resource: RecordedResource,
): PolicyResourceOptions & { retainOnDelete: boolean; dependsOn: string[] } {
  return {
    protect: resource.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...resource.additionalSecretOutputs],
    ...(resource.parent ? { parent: resource.parent } : {}),
    retainOnDelete: resource.retainOnDelete,
    dependsOn: [...resource.dependsOn],
  };
}

/** A provider reference is `<provider urn>::<provider id>`. */
function providerUrn(reference: string): string {
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

/** The explicit provider of a resource, when the stack declares it (default providers are not recorded). */
export function policyProvider(
  resource: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): PolicyProviderResource | undefined {
  if (!resource.provider) return undefined;
  const provider = byUrn.get(providerUrn(resource.provider));
  if (!provider) return undefined;
  const props = propsReader(provider);
  return {
    type: provider.type,
    urn: provider.urn,
    name: provider.name,
    get props() {
      return props();
    },
  };
}

type TypeMatcher = (resourceClass: { new (...rest: never[]): unknown }) => boolean;

/** CrossGuard's isType: the class's type token, or its isInstance on a stand-in. */
export function isTypeMatcher(type: string): TypeMatcher {
  return (resourceClass) => {
    const token = (resourceClass as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token === "string" && token.length > 0) return token === type;
    const isInstance = (resourceClass as unknown as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
  };
}

/** The resources of a stack as a stack policy sees them, linked to each other. */
export function stackPolicyResources(recorded: readonly RecordedResource[]): PolicyResource[] {
  const byUrn = new Map(recorded.map((r) => [r.urn, r]));
  const views = recorded.map((r) => {
    const props = propsReader(r);
    const isType = isTypeMatcher(r.type);
    const view: PolicyResource = {
      type: r.type,
      get props() {
        return props();
      },
      urn: r.urn,
      name: r.name,
      opts: policyOptions(r),
      dependencies: [],
      propertyDependencies: {},
      isType,
      asType: ((cls: { new (...rest: never[]): unknown }) =>
        isType(cls) ? props() : undefined) as PolicyResource["asType"],
    };
    const provider = policyProvider(r, byUrn);
    if (provider) view.provider = provider;
    return view;
  });
  const viewByUrn = new Map(views.map((v) => [v.urn, v]));
  recorded.forEach((r, i) => {
    const view = views[i]!;
    const parent = viewByUrn.get(r.parent);
    if (parent) view.parent = parent;
    view.dependencies = r.dependsOn.flatMap((urn) => viewByUrn.get(urn) ?? []);
    for (const [property, urns] of Object.entries(r.propertyDependencies)) {
      view.propertyDependencies[property] = urns.flatMap((urn) => viewByUrn.get(urn) ?? []);
    }
  });
  return views;
}
