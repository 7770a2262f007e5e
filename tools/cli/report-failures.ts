import { formatIssue, sameIssue, type ConfigIssue } from "../../infra/config/errors";
import type { StackOutcome } from "../engine/types";

/**
 * Config problems of every failed stack, one line each; a problem shared by several stacks (the
 * catalog in Pulumi.yaml) is printed once, naming the stacks that found it.
 */
export function describeFailures(outcomes: readonly StackOutcome[]): {
  configErrors: string[];
  crashes: string[];
  /** `--app` names the catalog does not declare, with the catalog's names. */
  unknownApps?: { unknown: string[]; catalog: string[] };
} {
  const found: Array<{ issue: ConfigIssue; stacks: string[] }> = [];
  const crashes: string[] = [];
  let unknownApps: { unknown: string[]; catalog: string[] } | undefined;
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    if ("unknownApps" in outcome) {
      unknownApps ??= { unknown: outcome.unknownApps, catalog: outcome.catalogApps };
    } else if ("configIssues" in outcome) {
      for (const issue of outcome.configIssues) {
        const known = found.find((f) => sameIssue(f.issue, issue));
        if (!known) found.push({ issue, stacks: [outcome.stack] });
        else if (!known.stacks.includes(outcome.stack)) known.stacks.push(outcome.stack);
      }
    } else {
      crashes.push(`${outcome.stack}: ${outcome.error}`);
    }
  }
  return {
    configErrors: found.map((f) => formatIssue(f.issue, f.stacks)),
    crashes,
    ...(unknownApps ? { unknownApps } : {}),
  };
}
