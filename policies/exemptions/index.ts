/**
 * Accountable exemptions: a rule may be waived for matching resources, with a reason and an expiry
 * date, in named environments. Declared in policies/exemptions.yaml.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, STACK_NAMES, type ConfigIssue } from "../../infra/config";
import { policies } from "../rules";
import { isRealDay } from "./audit-day";

export { auditDay, isoDay, TODAY_VARIABLE } from "./audit-day";

export const EXEMPTIONS_FILE = path.resolve(__dirname, "..", "exemptions.yaml");

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const exemptionSchema = z
  .object({
    /** The rule id (policy name) waived. */
    policy: z
      .string()
      .refine((id) => policies.some((p) => p.name === id), "expected the id of a rule of the pack")
      .refine(
        (id) => !policies.some((p) => p.name === id && p.alwaysMandatory),
        "this rule blocks at every level and cannot be waived",
      ),
    /** URN of the resources waived; `*` matches any run of characters. */
    urn: z.string().min(1),
    /** Why the violation is accepted, and what will end it. */
    reason: z.string().trim().min(10, "expected a reason of at least 10 characters"),
    /** Last day the exemption holds (YYYY-MM-DD). */
    expires: z
      .string()
      .regex(ISO_DATE, "expected a date YYYY-MM-DD")
      .refine((d) => isRealDay(d), "expected a real calendar date"),
    environments: z.array(z.enum(STACK_NAMES)).min(1),
  })
  .strict();

const fileSchema = z.object({ exemptions: z.array(exemptionSchema).default([]) }).strict();

export type Exemption = z.infer<typeof exemptionSchema>;

/** Reads and validates the exemptions file; every problem is reported with its key path. */
export function loadExemptions(file: string = EXEMPTIONS_FILE): Exemption[] {
  if (!fs.existsSync(file)) return [];
  const shown = path.relative(process.cwd(), file) || file;
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file: shown, key: "", message: e.message.split("\n")[0]! })),
    );
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.map((issue) => ({
      file: shown,
      key: issue.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, ""),
      message: issue.message,
    }));
    throw new ConfigError(issues);
  }
  return parsed.data.exemptions;
}

/** `urn:pulumi:*::launchpad::*::mapquiz` → a regular expression where `*` is any run of characters. */
export function urnPattern(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

/** An exemption holds through its expiry day. */
export function isExpired(exemption: Exemption, today: string): boolean {
  return exemption.expires < today;
}

export function appliesTo(exemption: Exemption, stack: string): boolean {
  return (exemption.environments as readonly string[]).includes(stack);
}

/** The unexpired exemption of the stack that waives this rule for this resource, if any. */
export function exemptionFor(
  exemptions: readonly Exemption[],
  finding: { policy: string; urn: string },
  stack: string,
  today: string,
): Exemption | undefined {
  return exemptions.find(
    (e) =>
      e.policy === finding.policy &&
      appliesTo(e, stack) &&
      !isExpired(e, today) &&
      urnPattern(e.urn).test(finding.urn),
  );
}

/** Id under which problems with exemptions themselves (expired, stale) are reported. */
export const EXEMPTIONS_RULE = {
  name: "accountable-exemptions",
  description: "Every exemption is current and still waives something.",
  severity: "high",
  remediationSteps: [
    "1. Expired: fix the violation, or renew the exemption with a new reason and date after review.",
    "2. Stale: the exemption waives nothing any more; delete it from policies/exemptions.yaml.",
  ].join("\n"),
} as const;

/** The stack's exemptions past their expiry date (each one a mandatory violation). */
export function expiredIn(exemptions: readonly Exemption[], stack: string, today: string): Exemption[] {
  return exemptions.filter((e) => appliesTo(e, stack) && isExpired(e, today));
}

export function expiredMessage(e: Exemption): string {
  return `the exemption of ${e.policy} for ${e.urn} expired on ${e.expires} (${e.reason})`;
}
