/**
 * Exemptions under the Pulumi CLI: the pack wraps each rule so a waived violation is reported as
 * advisory with its reason and expiry, and adds a stack policy reporting expired exemptions as
 * mandatory. (Stale exemptions need every rule's findings at once; the offline audit reports them.)
 */
import type {
  ReportViolation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isStackRule, type LaunchpadPolicy } from "../rules";
import type { LaunchpadResourcePolicy, LaunchpadStackPolicy } from "../rules/checklist";
import { stackOfUrn, stackRootUrn } from "../rules/lib/values";
import { EXEMPTIONS_RULE, exemptionFor, expiredIn, expiredMessage, type Exemption } from "./index";

/**
 * The analyzer also accepts a diagnostic object where a message goes, with its own level; that is
 * how a waived violation is downgraded to advisory while staying visible.
 */
type Diagnostic = { message: string; urn: string; enforcementLevel: "advisory" };

function exempting(
  report: ReportViolation,
  policy: string,
  stack: string,
  fallbackUrn: string,
  exemptions: readonly Exemption[],
  today: string,
): ReportViolation {
  return (message: string, urn?: string) => {
    const target = urn ?? fallbackUrn;
    const exemption = exemptionFor(exemptions, { policy, urn: target }, stack, today);
    if (!exemption) return report(message, urn);
    const diagnostic: Diagnostic = {
      message: `exempt until ${exemption.expires} (${exemption.reason}): ${message}`,
      urn: target,
      enforcementLevel: "advisory",
    };
    report(diagnostic as unknown as string);
  };
}

function wrapResource(
  policy: LaunchpadResourcePolicy,
  exemptions: readonly Exemption[],
  today: string,
): ResourceValidationPolicy {
  const wrap =
    (validation: ResourceValidation): ResourceValidation =>
    (args, report) =>
      validation(args, exempting(report, policy.name, stackOfUrn(args.urn), args.urn, exemptions, today));
  const validate = policy.validateResource!;
  return { ...policy, validateResource: Array.isArray(validate) ? validate.map(wrap) : wrap(validate) };
}

function wrapStack(
  policy: LaunchpadStackPolicy,
  exemptions: readonly Exemption[],
  today: string,
): StackValidationPolicy {
  return {
    ...policy,
    validateStack: (args, report) => {
      const stack = stackOfUrn(args.resources[0]?.urn ?? "");
      return policy.validateStack(
        args,
        exempting(report, policy.name, stack, stackRootUrn(stack), exemptions, today),
      );
    },
  };
}

/** The pack's policies with exemptions applied, plus the policy that refuses expired exemptions. */
export function withExemptions(
  policies: readonly LaunchpadPolicy[],
  exemptions: readonly Exemption[],
  today: string,
): Array<ResourceValidationPolicy | StackValidationPolicy> {
  const wrapped = policies.map((p): ResourceValidationPolicy | StackValidationPolicy =>
    isStackRule(p) ? wrapStack(p, exemptions, today) : wrapResource(p, exemptions, today),
  );
  const expired: StackValidationPolicy = {
    ...EXEMPTIONS_RULE,
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const stack = stackOfUrn(args.resources[0]?.urn ?? "");
      for (const e of expiredIn(exemptions, stack, today)) report(expiredMessage(e), stackRootUrn(stack));
    },
  };
  return [...wrapped, expired];
}
