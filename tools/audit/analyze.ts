import { PROJECT_DIR } from "../../infra/config/pulumi-files";
import type { Analyze } from "../engine/types";
import { auditStack } from "./build-report";

/** The audit of one stack, run by the engine in the stack's own worker. */
export const analyze: Analyze = (evaluation, options) =>
  auditStack(evaluation, options.projectDir ?? PROJECT_DIR);
