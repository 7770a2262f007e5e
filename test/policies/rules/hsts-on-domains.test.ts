import { describe, it } from "vitest";
import { VERCEL } from "../../../policies/rules/lib/types";
import { expectCompliant, expectViolation, resource } from "../support";

const RULE = "hsts-on-domains";
const S = "prod";

const project = resource(S, VERCEL.project, "mona-spark-frontend-project", { name: "mona-spark-prod" });
const from = { projectId: [project] };
const domain = resource(
  S,
  VERCEL.domain,
  "mona-spark-frontend-domain",
  { projectId: "p", domain: "mona-spark.app" },
  { from },
);
const hsts = (value: string, name = "mona-spark-frontend-hsts") =>
  resource(
    S,
    VERCEL.route,
    name,
    {
      projectId: "p",
      route: {
        src: "/(.*)",
        transforms: [
          {
            type: "response.headers",
            op: "set",
            target: JSON.stringify({ key: "Strict-Transport-Security" }),
            args: JSON.stringify(value),
          },
        ],
      },
    },
    { from },
  );

describe(RULE, () => {
  it("passes a project whose domain is served with a two-year HSTS header", async () => {
    await expectCompliant(RULE, [project, domain, hsts("max-age=63072000; includeSubDomains; preload")]);
  });

  it("passes a project without a domain (nothing to serve over http)", async () => {
    await expectCompliant(RULE, [project]);
  });

  it("reports a project serving a domain without HSTS", async () => {
    await expectViolation(RULE, [project, domain], project.urn, /without a Strict-Transport-Security/);
  });

  it("reports a short max-age", async () => {
    await expectViolation(
      RULE,
      [project, domain, hsts("max-age=300")],
      project.urn,
      /max-age is 300s, below 31536000s/,
    );
  });

  it("counts only the routes of the same project", async () => {
    const other = resource(S, VERCEL.project, "sheet2scene-frontend-project", { name: "sheet2scene-prod" });
    const otherRoute = resource(
      S,
      VERCEL.route,
      "sheet2scene-frontend-hsts",
      hsts("max-age=63072000").inputs,
      {
        from: { projectId: [other] },
      },
    );
    await expectViolation(
      RULE,
      [project, domain, other, otherRoute],
      project.urn,
      /without a Strict-Transport/,
    );
  });
});
