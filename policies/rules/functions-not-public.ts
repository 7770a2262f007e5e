/**
 * Checklist 3 — no function of an app's database is executable by PUBLIC: each Database
 * component takes EXECUTE away from PUBLIC on the functions its migrator creates (Postgres grants
 * it by default), and no grant gives it back. A SECURITY DEFINER function callable by everyone
 * bypasses every policy it touches.
 */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { stackRule } from "./checklist";
import { POSTGRESQL } from "./lib/types";
import { list, text, type Props } from "./lib/values";

const DATABASE = "launchpad:postgres:Database";

const isPublic = (props: Props) => (text(props["role"]) ?? "").toLowerCase() === "public";
const privilegesOf = (props: Props) => list(props["privileges"]).map((p) => String(p).toUpperCase());

function validate(args: StackValidationArgs, report: ReportViolation): void {
  for (const resource of args.resources) {
    const props = resource.props as Props;
    const functions = text(props["objectType"]) === "function";
    if (!functions || !isPublic(props)) continue;
    if (resource.type === POSTGRESQL.grant && privilegesOf(props).length > 0) {
      report(`functions are granted ${privilegesOf(props).join(", ")} to PUBLIC`, resource.urn);
    }
    if (resource.type === POSTGRESQL.defaultPrivileges && privilegesOf(props).length > 0) {
      report(`new functions of ${text(props["owner"]) ?? "?"} would be executable by PUBLIC`, resource.urn);
    }
  }
  for (const database of args.resources.filter((r) => r.type === DATABASE)) {
    const revoked = args.resources.some(
      (r) =>
        r.type === POSTGRESQL.defaultPrivileges &&
        r.parent?.urn === database.urn &&
        text((r.props as Props)["objectType"]) === "function" &&
        isPublic(r.props as Props) &&
        privilegesOf(r.props as Props).length === 0,
    );
    if (!revoked) {
      report(
        "the functions its migrator creates stay executable by PUBLIC (Postgres' default)",
        database.urn,
      );
    }
  }
}

export const functionsNotPublic = stackRule({
  name: "functions-not-public",
  description:
    "Functions of an app's database are not executable by PUBLIC: the migrator's default privileges revoke EXECUTE, no grant restores it.",
  severity: "critical",
  checklistItem: 3,
  remediationSteps: [
    "1. Keep the Database component's DefaultPrivileges that revoke EXECUTE on functions from PUBLIC for the migrator.",
    "2. Grant EXECUTE on a function to the roles whose policies or code call it, never to PUBLIC.",
  ].join("\n"),
  resourceTypes: [POSTGRESQL.grant, POSTGRESQL.defaultPrivileges],
  validateStack: validate,
});
