import { PROJECT_DIR } from "../../infra/config/pulumi-files";
import type { Analyze } from "../engine/types";
import { auditStack, ruleCatalog } from "./build-report";
import type { StackAnalysis } from "./types";

/**
 * The audit of one stack, run by the engine in the worker that evaluated it. The rule catalog travels
 * with it, so the CLI's main thread never loads the policy pack or the Pulumi SDK.
 */
export const analyze: Analyze = async (evaluation, options): Promise<StackAnalysis> => ({
  audit: await auditStack(evaluation, options.projectDir ?? PROJECT_DIR),
  rules: ruleCatalog(),
});
