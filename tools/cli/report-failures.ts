import { formatIssue } from "../../infra/config/errors";
import type { StackOutcome } from "../engine/types";

/**
 * Config problems of every failed stack, one line each; a problem shared by several stacks (the
 * catalog in Pulumi.yaml) is printed once.
 */
export function describeFailures(outcomes: readonly StackOutcome[]): {
  configErrors: string[];
  crashes: string[];
} {
  const lines = new Set<string>();
  const crashes: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    if ("configIssues" in outcome) {
      for (const issue of outcome.configIssues) {
        lines.add(formatIssue(issue));
      }
    } else {
      crashes.push(`${outcome.stack}: ${outcome.error}`);
    }
  }
  return { configErrors: [...lines], crashes };
}
