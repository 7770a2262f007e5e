/** Checklist 7 — backups are private: a storage bucket holding backups never serves objects publicly. */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "./checklist";
import { PG } from "./lib/types";
import { bucketName, text, type Props } from "./lib/values";

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  if (args.type !== PG.bucket) return;
  const props = args.props as Props;
  const bucket = bucketName(props, args.name);
  // The bucket's id, its display name or the resource's logical name may say what it holds.
  const label = [bucket, text(props["name"]), args.name].join(" ");
  if (props["public"] === true && /backup|snapshot|dump/i.test(label)) {
    report(`bucket ${bucket} holds backups but is public`);
  }
}

export const privateBackupBuckets = resourceRule({
  name: "private-backup-buckets",
  description: "Storage buckets that hold backups, snapshots or dumps are private.",
  severity: "high",
  checklistItem: 7,
  remediationSteps: "1. Declare the bucket with public: false in the catalog (the default).",
  resourceTypes: [PG.bucket],
  validateResource: validate,
});
