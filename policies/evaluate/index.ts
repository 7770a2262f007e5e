/**
 * The offline policy evaluator: runs the pack's rules over a stack's recorded resources with
 * CrossGuard's semantics, at the levels the stack's environment profile sets, and applies the
 * accountable exemptions. Pure with respect to the pack: it never constructs a PolicyPack.
 */
import type { EnforcementLevel, PolicyPackConfig, Severity } from "@pulumi/policy";
import type { RecordedResource } from "../../tools/engine/types";
import { enforcementConfig, PACK_ENFORCEMENT } from "../enforcement";
import {
  appliesTo,
  auditDay,
  EXEMPTIONS_RULE,
  exemptionFor,
  expiredIn,
  expiredMessage,
  isExpired,
  loadExemptions,
  type Exemption,
} from "../exemptions";
import { policies as packPolicies, type LaunchpadPolicy } from "../rules";
import { stackPlatform } from "../rules/lib/platform";
import { stackRootUrn } from "../rules/lib/values";
import { reconcileConfig } from "./config";
import { runPolicies, type RawFinding } from "./run";

export { reconcileConfig } from "./config";
export { EXEMPTIONS_RULE } from "../exemptions";

const PACK = {
  name: "launchpad-security",
  version: (require("../package.json") as { version: string }).version,
};

export interface PolicyViolation {
  /** Rule id (policy name), or `accountable-exemptions` for a problem with an exemption. */
  policy: string;
  severity: Severity;
  enforcement: "advisory" | "mandatory";
  /** The offending resource, or the stack's root resource for a stack-wide finding. */
  urn: string;
  message: string;
  remediation?: string;
  checklistItem: number;
  /** The rule could not run because it read a value unknown at preview (CrossGuard reports it advisory). */
  unknown?: boolean;
}

export interface ExemptedViolation extends PolicyViolation {
  reason: string;
  /** YYYY-MM-DD. */
  expires: string;
  /** The URN pattern of the exemption that waived it. */
  exemption: string;
}

export interface PolicyReport {
  stack: string;
  /** Number of resources evaluated. */
  resources: number;
  /** Violations that stand, exemption problems included. */
  violations: PolicyViolation[];
  /** Violations waived by an exemption, with its reason and expiry. */
  exemptions: ExemptedViolation[];
}

export interface PolicyEvaluationOptions {
  /** Policy pack config as `--policy-pack-config` takes it; default: the levels of the stack's profile. */
  config?: PolicyPackConfig;
  /** Exemptions; default: those of policies/exemptions.yaml. */
  exemptions?: readonly Exemption[];
  /** The day expiry is judged on (YYYY-MM-DD); default: LAUNCHPAD_TODAY, else today (UTC). */
  today?: string;
  /** Folder holding Pulumi.yaml and the stack files; default: this repository. */
  projectDir?: string;
  /** The rules to run; default: the pack's. */
  policies?: readonly LaunchpadPolicy[];
}

/** The config a stack runs with when none is given: its profile's levels, as in policies/config/<stack>.json. */
export function profileConfig(stack: string, projectDir?: string): PolicyPackConfig {
  return enforcementConfig(stackPlatform(stack, projectDir).environment.policyEnforcement);
}

/** Rules reading the catalog are pointed at the project being evaluated. */
function withProjectDir(
  config: PolicyPackConfig,
  rules: readonly LaunchpadPolicy[],
  dir?: string,
): PolicyPackConfig {
  if (dir === undefined) return config;
  const out: PolicyPackConfig = { ...config };
  for (const rule of rules) {
    if (!rule.configSchema?.properties["projectDir"]) continue;
    const given = out[rule.name];
    const entry = typeof given === "string" ? { enforcementLevel: given as EnforcementLevel } : { ...given };
    out[rule.name] = { projectDir: dir, ...entry };
  }
  return out;
}

export async function evaluatePolicies(
  evaluation: { stack: string; resources: readonly RecordedResource[] },
  options: PolicyEvaluationOptions = {},
): Promise<PolicyReport> {
  const { stack, resources } = evaluation;
  const rules = options.policies ?? packPolicies;
  const config = withProjectDir(
    options.config ?? profileConfig(stack, options.projectDir),
    rules,
    options.projectDir,
  );
  const reconciled = reconcileConfig(rules, config, PACK_ENFORCEMENT);
  const raw = await runPolicies(rules, reconciled, resources, PACK);

  const root = stackRootUrn(stack);
  const ruleOf = new Map(rules.map((r) => [r.name, r]));
  const describe = (finding: RawFinding): PolicyViolation => {
    const rule = ruleOf.get(finding.policy)!;
    return {
      policy: finding.policy,
      severity: rule.severity,
      enforcement: finding.enforcement,
      urn: finding.urn ?? root,
      message: finding.message,
      remediation: rule.remediationSteps,
      checklistItem: rule.checklistItem,
      ...(finding.unknown ? { unknown: true } : {}),
    };
  };

  const today = options.today ?? auditDay();
  const exemptions = options.exemptions ?? loadExemptions();
  const used = new Set<Exemption>();
  const violations: PolicyViolation[] = [];
  const exempted: ExemptedViolation[] = [];
  for (const violation of raw.map(describe)) {
    const exemption = exemptionFor(exemptions, violation, stack, today);
    if (!exemption) {
      violations.push(violation);
      continue;
    }
    used.add(exemption);
    exempted.push({
      ...violation,
      reason: exemption.reason,
      expires: exemption.expires,
      exemption: exemption.urn,
    });
  }

  const problem = (
    exemption: Exemption,
    enforcement: "advisory" | "mandatory",
    message: string,
  ): PolicyViolation => ({
    policy: EXEMPTIONS_RULE.name,
    severity: EXEMPTIONS_RULE.severity,
    enforcement,
    urn: root,
    message,
    remediation: EXEMPTIONS_RULE.remediationSteps,
    checklistItem: ruleOf.get(exemption.policy)?.checklistItem ?? 0,
  });
  for (const exemption of expiredIn(exemptions, stack, today)) {
    violations.push(problem(exemption, "mandatory", expiredMessage(exemption)));
  }
  const current = exemptions.filter((e) => appliesTo(e, stack) && !isExpired(e, today));
  for (const exemption of current.filter((e) => !used.has(e))) {
    violations.push(
      problem(
        exemption,
        "advisory",
        `stale exemption: ${exemption.policy} for ${exemption.urn} waives nothing in ${stack}`,
      ),
    );
  }
  return { stack, resources: resources.length, violations, exemptions: exempted };
}

export { policyCoverage, SECURITY_PROVIDERS, NOT_SECURITY_RELEVANT } from "./coverage";
export type { CoverageReport, UncoveredType } from "./coverage";
