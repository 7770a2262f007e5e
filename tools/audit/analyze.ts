import { PROJECT_DIR } from "../../infra/config/pulumi-files";
import type { Analyze } from "../engine/types";
import { keepApps } from "../engine/app-filter";
import { auditStack, onlyApps, ruleCatalog } from "./build-report";
import type { StackAnalysis } from "./types";

/**
 * The audit of one stack, run by the engine in the worker that evaluated it. The rule catalog travels
 * with it, so the CLI's main thread never loads the policy pack or the Pulumi SDK.
 */
export const analyze: Analyze = async (evaluation, options): Promise<StackAnalysis> => {
  const audit = await auditStack(evaluation, options.projectDir ?? PROJECT_DIR);
  return {
    audit: options.apps ? onlyApps(audit, keepApps(evaluation, options.apps)) : audit,
    rules: ruleCatalog(),
  };
};
