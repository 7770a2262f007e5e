/**
 * Checklist 13 — resource budgets the seeds set (e.g. MapQuiz: memory ≤ 512 MB, `/health` passing
 * within 30 s), read from the catalog: a service's maxMemoryMb and its health check's grace period.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { ServiceSpec } from "../../infra/config";
import { stackRule } from "./checklist";
import { checksOf, durationSeconds } from "./lib/fly";
import { appOf, ofType } from "./lib/graph";
import { appSpec, PROJECT_DIR_SCHEMA, platformOfStack } from "./lib/platform";
import { FLY } from "./lib/types";
import { num, record, text, type Props } from "./lib/values";

/** The provider's deploy waits this long for checks when the machine does not say. */
const PROVIDER_DEFAULT_GRACE_SECONDS = 30;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The catalog service a machine runs: the one its metadata names (`launchpad_service`), else the one
 * its logical or physical names carry, else the app's only service.
 */
function serviceOf(
  machine: PolicyResource,
  services: Record<string, ServiceSpec>,
): [string, ServiceSpec] | undefined {
  const enabled = Object.entries(services).filter(([, s]) => s.enabled);
  const props = machine.props as Props;
  const tagged = text(record(props["metadata"])?.["launchpad_service"]);
  if (tagged !== undefined) return enabled.find(([name]) => name === tagged);
  if (enabled.length === 1) return enabled[0];
  const labels = [machine.name, text(props["app"]), text(props["name"]), text(props["processGroup"])].filter(
    (l): l is string => l !== undefined,
  );
  const named = enabled.filter(([name]) => {
    const pattern = new RegExp(`(^|[-_.])${escape(name)}([-_.]|$)`);
    return labels.some((l) => pattern.test(l));
  });
  return named.length === 1 ? named[0] : undefined;
}

function validate(args: StackValidationArgs, report: ReportViolation): void {
  const context = platformOfStack(args);
  if (!context) return;
  for (const machine of ofType(args.resources, FLY.machine)) {
    const app = appOf(machine);
    const spec = app ? appSpec(context.platform, app.name) : undefined;
    const found = spec ? serviceOf(machine, spec.services) : undefined;
    if (!found) continue;
    const [service, budget] = found;
    const props = machine.props as Props;
    const memory = num(record(props["guest"])?.["memoryMb"]);
    if (budget.maxMemoryMb !== undefined && memory !== undefined && memory > budget.maxMemoryMb) {
      report(`${service}: ${memory} MB of memory, above its budget of ${budget.maxMemoryMb} MB`, machine.urn);
    }
    const grace = budget.healthCheck?.gracePeriodSeconds;
    if (grace === undefined) continue;
    const deployGrace = num(props["healthGraceSeconds"]) ?? PROVIDER_DEFAULT_GRACE_SECONDS;
    if (deployGrace > grace) {
      report(
        `${service}: a deploy waits ${deployGrace}s for health, above its budget of ${grace}s`,
        machine.urn,
      );
    }
    for (const check of checksOf(props)) {
      const seconds = durationSeconds(check.gracePeriod);
      if (seconds !== undefined && seconds > grace) {
        report(
          `${service}: ${check.where} has a ${check.gracePeriod} grace period, above ${grace}s`,
          machine.urn,
        );
      }
    }
  }
}

export const resourceBudgets = stackRule({
  name: "resource-budgets",
  description:
    "Backend machines stay within the budgets the catalog sets: memory at most maxMemoryMb, healthy within " +
    "the health check's grace period.",
  severity: "medium",
  checklistItem: 13,
  remediationSteps: [
    "1. Size the service within services.<name>.maxMemoryMb (the seed's budget), or revisit the budget.",
    "2. Keep the deploy's health wait and each check's grace period within healthCheck.gracePeriodSeconds.",
  ].join("\n"),
  resourceTypes: [FLY.machine],
  configSchema: { properties: { ...PROJECT_DIR_SCHEMA } },
  validateStack: validate,
});
