/**
 * The launchpad policy pack, for the Pulumi CLI:
 *   pulumi preview --stack prod --policy-pack policies --policy-pack-config policies/config/prod.json
 * The only place that constructs the PolicyPack (construction starts the analyzer's gRPC server).
 * The rules themselves live in ./rules as data, so the offline audit runs exactly these.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT } from "./enforcement";
import { auditDay, loadExemptions } from "./exemptions";
import { withExemptions } from "./exemptions/crossguard";
import { policies } from "./rules";

new PolicyPack("launchpad-security", {
  description: "launchpad's production security checklist: HTTPS, secrets, RLS, CORS, rate limits and more.",
  enforcementLevel: PACK_ENFORCEMENT,
  policies: withExemptions(policies, loadExemptions(), auditDay()),
});
