/**
 * Runs policies over one stack's recorded resources the way CrossGuard's analyzer does: resource
 * policies once per resource, stack policies once over the linked graph; `disabled` skips, `remediate`
 * validates as mandatory; touching an unknown value ends that validation with an advisory
 * "can't run … during preview" diagnostic; `notApplicable` ends it silently; other errors propagate.
 */
import type {
  EnforcementLevel,
  Policy,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedResource } from "../../tools/engine/types";
import type { ReconciledPolicyConfig } from "./config";
import { isTypeMatcher, policyOptions, policyProvider, propsReader, stackPolicyResources } from "./resources";

const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new () => Error };

/** A diagnostic as the analyzer produces it, before exemptions. */
export interface RawFinding {
  policy: string;
  enforcement: "advisory" | "mandatory";
  /** The resource's URN, or undefined for a stack-wide finding. */
  urn?: string;
  message: string;
  /** Set when the policy could not run because it touched a value unknown at preview. */
  unknown?: boolean;
}

export interface PackIdentity {
  name: string;
  version: string;
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "Policy does not apply");
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  const v = (p as ResourceValidationPolicy).validateResource;
  return typeof v === "function" || (Array.isArray(v) && v.every((f) => typeof f === "function"));
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

function pulumiTypeOf(fn: unknown): string | undefined {
  const token = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof token === "string" && token.length > 0 ? token : undefined;
}

/** Runs one validation; an unknown value becomes the analyzer's advisory diagnostic. */
async function guarded(
  policy: Policy,
  pack: PackIdentity,
  urn: string | undefined,
  findings: RawFinding[],
  run: () => Promise<void> | void,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    const from = `policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`;
    if (error instanceof UnknownValueError) {
      findings.push({
        policy: policy.name,
        enforcement: "advisory",
        urn,
        message: `can't run ${from} during preview: ${error.message}`,
        unknown: true,
      });
    } else if (!(error instanceof NotApplicable)) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`Error validating resource with ${from}: ${detail}`, { cause: error });
    }
  }
}

function reporter(
  policy: Policy,
  level: "advisory" | "mandatory",
  into: RawFinding[],
  fallbackUrn?: string,
): ReportViolation {
  return (message: string, urn?: string) => {
    into.push({
      policy: policy.name,
      enforcement: level,
      urn: urn ?? fallbackUrn,
      message: message || policy.description,
    });
  };
}

export async function runPolicies(
  policies: readonly Policy[],
  config: ReadonlyMap<string, ReconciledPolicyConfig>,
  recorded: readonly RecordedResource[],
  pack: PackIdentity,
): Promise<RawFinding[]> {
  const findings: RawFinding[] = [];
  const byUrn = new Map(recorded.map((r) => [r.urn, r]));
  const stackTags: ReadonlyMap<string, string> = new Map();
  for (const policy of policies) {
    const settings = config.get(policy.name);
    const configured: EnforcementLevel = settings?.enforcementLevel ?? "advisory";
    if (configured === "disabled") continue;
    const level = configured === "advisory" ? "advisory" : "mandatory";
    const getConfig = <T extends object>(): T => structuredClone(settings?.properties ?? {}) as T;

    if (isResourcePolicy(policy) && policy.validateResource) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      const only = Array.isArray(policy.validateResource) ? undefined : pulumiTypeOf(policy.validateResource);
      for (const resource of recorded) {
        if (only !== undefined && resource.type !== only) continue;
        for (const validation of validations) {
          await guarded(policy, pack, resource.urn, findings, () => {
            const props = propsReader(resource);
            const isType = isTypeMatcher(resource.type);
            const args: ResourceValidationArgs = {
              type: resource.type,
              get props() {
                return props();
              },
              urn: resource.urn,
              name: resource.name,
              opts: policyOptions(resource),
              stackTags,
              isType,
              asType: ((cls: { new (...rest: never[]): unknown }) =>
                isType(cls) ? props() : undefined) as ResourceValidationArgs["asType"],
              getConfig,
              notApplicable,
            };
            const provider = policyProvider(resource, byUrn);
            if (provider) args.provider = provider;
            return validation(args, reporter(policy, level, findings, resource.urn));
          });
        }
      }
    } else if (isStackPolicy(policy)) {
      const only = pulumiTypeOf(policy.validateStack);
      if (only !== undefined && !recorded.some((r) => r.type === only)) continue;
      await guarded(policy, pack, undefined, findings, () => {
        const args: StackValidationArgs = {
          resources: stackPolicyResources(recorded),
          stackTags,
          getConfig,
          notApplicable,
        };
        return policy.validateStack(args, reporter(policy, level, findings));
      });
    }
  }
  return findings;
}
