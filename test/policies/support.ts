/**
 * Fixtures for policy tests: recorded resources shaped the way the offline engine records them
 * (type tokens of the real providers, URNs, parents, options, property dependencies).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { parseDocument } from "yaml";
import { evaluatePolicies, type PolicyEvaluationOptions, type PolicyReport } from "../../policies/evaluate";
import type { RecordedResource } from "../../tools/engine/types";
import { copyProject } from "../support/config-fixtures";

export type Stack = "dev" | "qa" | "prod";

export const rootUrn = (stack: string): string =>
  `urn:pulumi:${stack}::launchpad::pulumi:pulumi:Stack::launchpad-${stack}`;

/** The last segment of a parent's qualified type, as Pulumi builds child URNs from it. */
function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

export interface ResourceOptions {
  parent?: RecordedResource;
  protect?: boolean;
  retainOnDelete?: boolean;
  additionalSecretOutputs?: string[];
  /** Property → resources its value came from. */
  from?: Record<string, RecordedResource[]>;
  provider?: RecordedResource;
  custom?: boolean;
}

export function resource(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  options: ResourceOptions = {},
): RecordedResource {
  const parent = options.parent?.urn ?? rootUrn(stack);
  const propertyDependencies: Record<string, string[]> = Object.fromEntries(
    Object.keys(inputs).map((key) => [key, (options.from?.[key] ?? []).map((r) => r.urn)]),
  );
  return {
    type,
    name,
    urn: `urn:pulumi:${stack}::launchpad::${typeOfUrn(parent)}$${type}::${name}`,
    parent,
    custom: options.custom ?? !type.startsWith("launchpad:"),
    inputs: structuredClone(inputs),
    secretInputs: [],
    protect: options.protect ?? false,
    retainOnDelete: options.retainOnDelete ?? false,
    additionalSecretOutputs: options.additionalSecretOutputs ?? [],
    dependsOn: [...new Set(Object.values(propertyDependencies).flat())],
    propertyDependencies,
    provider: options.provider ? `${options.provider.urn}::${options.provider.name}-id` : "",
  };
}

/** An app's component, named as in the catalog. */
export function appComponent(stack: string, app: string): RecordedResource {
  return resource(stack, "launchpad:index:App", app);
}

/** A deep copy of a resource with one nested input replaced (`undefined` deletes it). */
export function withInput(
  r: RecordedResource,
  path: Array<string | number>,
  value: unknown,
): RecordedResource {
  const copy = structuredClone(r);
  let target: Record<string | number, unknown> = copy.inputs;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

/** Replaces the resource with the same URN. */
export function replace(
  resources: readonly RecordedResource[],
  changed: RecordedResource,
): RecordedResource[] {
  return resources.map((r) => (r.urn === changed.urn ? changed : r));
}

/** Evaluates with no exemptions at the stack's profile levels (prod: every rule mandatory). */
export function evaluate(
  stack: string,
  resources: readonly RecordedResource[],
  options: PolicyEvaluationOptions = {},
): Promise<PolicyReport> {
  return evaluatePolicies({ stack, resources }, { exemptions: [], ...options });
}

export async function violationsOf(
  rule: string,
  stack: string,
  resources: readonly RecordedResource[],
  options: PolicyEvaluationOptions = {},
): Promise<Array<{ enforcement: string; urn: string; message: string }>> {
  const report = await evaluate(stack, resources, options);
  return report.violations
    .filter((v) => v.policy === rule)
    .map(({ enforcement, urn, message }) => ({ enforcement, urn, message }));
}

/** The rule reports exactly one mandatory violation matching `message` on `urn`. */
export async function expectViolation(
  rule: string,
  resources: readonly RecordedResource[],
  urn: string,
  message: RegExp,
  stack: string = "prod",
): Promise<void> {
  const found = await violationsOf(rule, stack, resources);
  const matching = found.filter((v) => v.urn === urn && message.test(v.message));
  expect(matching, JSON.stringify(found, null, 2)).toEqual([
    { enforcement: "mandatory", urn, message: expect.stringMatching(message) },
  ]);
}

export async function expectCompliant(
  rule: string,
  resources: readonly RecordedResource[],
  stack = "prod",
): Promise<void> {
  expect(await violationsOf(rule, stack, resources)).toEqual([]);
}

/**
 * A copy of the project whose catalog (Pulumi.yaml `launchpad:apps`) is edited at key paths, e.g.
 * `[["mapquiz", "database", "platformTables"], []]`; `undefined` deletes the key.
 */
export function projectWithCatalog(edits: Array<[Array<string | number>, unknown]>): string {
  const dir = copyProject();
  const file = path.join(dir, "Pulumi.yaml");
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  for (const [at, value] of edits) {
    const key = ["config", "launchpad:apps", "value", ...at];
    if (value === undefined) doc.deleteIn(key);
    else doc.setIn(key, doc.createNode(value));
  }
  fs.writeFileSync(file, doc.toString());
  return dir;
}
