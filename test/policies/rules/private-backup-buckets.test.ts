import { describe, it } from "vitest";
import { PG } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource, withInput } from "../support";

const RULE = "private-backup-buckets";

const backups = resource("prod", PG.bucket, "submissions-db-bucket-backups", {
  databaseUrl: "[secret]",
  bucketId: "backups",
  public: false,
  fileSizeLimit: 524_288_000,
  allowedMimeTypes: ["application/json", "application/gzip"],
});
const avatars = resource("prod", PG.bucket, "x-db-bucket-avatars", {
  databaseUrl: "[secret]",
  id: "avatars",
  public: true,
});

describe(RULE, () => {
  it("passes a private backups bucket and a public bucket of other content", async () => {
    await expectCompliant(RULE, [backups, avatars]);
  });

  it("reports a public bucket holding backups", async () => {
    const bad = withInput(backups, ["public"], true);
    await expectViolation(RULE, [bad], bad.urn, /bucket backups holds backups but is public/);
  });

  it("recognises a backups bucket by its logical name when its inputs do not name it", async () => {
    const bad = withInput(withInput(backups, ["bucketId"], undefined), ["public"], true);
    await expectViolation(
      RULE,
      [bad],
      bad.urn,
      /bucket submissions-db-bucket-backups holds backups but is public/,
    );
  });

  it("recognises backup buckets by name as well as by id", async () => {
    const bad = withInput(withInput(avatars, ["bucketId"], "b1"), ["name"], "nightly-dumps");
    await expectViolation(RULE, [bad], bad.urn, /bucket b1 holds backups but is public/);
  });
});
