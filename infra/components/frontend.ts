import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import type { AppSpec, EnvironmentProfile, FrontendSpec, SecretValues } from "../config";
import { physicalName, siteHostname, siteUrl } from "../naming";
import { corsAllowList, corsHeaders, originLabel } from "./cors";
import {
  deploymentProtection,
  ignoredBuildStep,
  owaspRulesets,
  productionBranch,
  rateLimitRule,
  retentionPeriod,
  variableLabel,
} from "./vercel-settings";

/** Deployment targets every variable reaches (Vercel's development target cannot hold sensitive values). */
const TARGETS = ["production", "preview"];

/** Browsers remember to use https for two years, subdomains included. */
const HSTS = "max-age=63072000; includeSubDomains; preload";

export interface FrontendArgs {
  /** The app's name in the catalog; physical names carry it with the environment. */
  app: string;
  /** The app's declaration (domain, repository, CORS, database URL). */
  spec: AppSpec;
  /** The app's frontend declaration. */
  frontend: FrontendSpec;
  /** The stack's environment profile: domains, retention, firewall action, preview protection. */
  environment: EnvironmentProfile;
  /** The stack's secret values; the frontend reads the names in `frontend.secretEnv`. */
  secrets: SecretValues;
  /**
   * Public URL of the app's backend, once its backend is declared; variables wired from it
   * (`{ from: backendUrl }`) wait for it.
   */
  backendUrl?: pulumi.Input<string>;
}

/** Value of a public variable: a literal, a wired value, or undefined while what it is wired from is absent. */
function publicValue(
  value: FrontendSpec["publicEnv"][string],
  args: FrontendArgs,
): pulumi.Input<string> | undefined {
  if (typeof value === "string") return value;
  switch (value.from) {
    case "siteUrl":
      return siteUrl(args.app, args.spec, args.environment);
    case "supabaseUrl":
      return args.spec.database?.supabaseUrl;
    case "backendUrl":
      return args.backendUrl;
  }
}

/**
 * The app's web frontend on Vercel in one environment: the project (built from the app's repository,
 * only from the environment's branches), its variables, its domain, deployment retention, the web
 * application firewall and the CORS allow-list.
 */
export class Frontend extends pulumi.ComponentResource {
  /** Vercel project id. */
  readonly projectId: pulumi.Output<string>;
  /** The site's public URL. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: FrontendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("launchpad:vercel:Frontend", name, {}, opts);
    const { app, spec, frontend, environment } = args;
    const branch = productionBranch(environment.branches);

    const project = new vercel.Project(
      `${name}-project`,
      {
        name: physicalName(app, environment),
        framework: frontend.framework,
        rootDirectory: frontend.rootDirectory === "." ? undefined : frontend.rootDirectory,
        installCommand: frontend.installCommand,
        buildCommand: frontend.buildCommand,
        outputDirectory: frontend.outputDirectory,
        gitRepository: {
          type: "github",
          repo: `${spec.repository.owner}/${spec.repository.name}`,
          ...(branch ? { productionBranch: branch } : {}),
        },
        ignoreCommand: ignoredBuildStep(environment.branches),
        // Previews (and generated URLs) require a Vercel login; the site's own domain stays public.
        vercelAuthentication: {
          deploymentType: deploymentProtection(environment.protectPreviews),
        },
        // Pull requests from forks must not build with this environment's secrets.
        gitForkProtection: true,
        automaticallyExposeSystemEnvironmentVariables: false,
      },
      { parent: this, protect: environment.protectData },
    );
    const projectId = project.id;

    // Public variables are plain on purpose (they ship in the browser bundle); one resource holds them.
    const publicVariables = Object.entries(frontend.publicEnv).flatMap(([key, value]) => {
      const resolved = publicValue(value, args);
      return resolved === undefined
        ? []
        : [{ key, value: resolved, targets: TARGETS, sensitive: false, comment: "public (browser)" }];
    });
    if (publicVariables.length > 0) {
      new vercel.ProjectEnvironmentVariables(
        `${name}-public-env`,
        { projectId, variables: publicVariables },
        { parent: this },
      );
    }
    // Each secret is its own sensitive variable: write-only in Vercel, secret in Pulumi state.
    for (const key of frontend.secretEnv) {
      new vercel.ProjectEnvironmentVariable(
        `${name}-env-${variableLabel(key)}`,
        {
          projectId,
          key,
          value: args.secrets.get(app, key),
          targets: TARGETS,
          sensitive: true,
          comment: "server-side secret",
        },
        { parent: this },
      );
    }

    // Vercel answers plain http on every domain with a 308 to https; HSTS makes browsers skip http.
    new vercel.ProjectDomain(
      `${name}-domain`,
      { projectId, domain: siteHostname(app, spec, environment) },
      { parent: this },
    );
    new vercel.ProjectRoute(
      `${name}-hsts`,
      {
        projectId,
        name: "hsts",
        description: "Strict-Transport-Security on every response",
        position: { placement: "start" },
        route: {
          src: "/(.*)",
          transforms: [setResponseHeader("Strict-Transport-Security", HSTS)],
        },
      },
      { parent: this },
    );

    const period = retentionPeriod(environment.deploymentRetentionDays);
    const shortPeriod = retentionPeriod(Math.min(environment.deploymentRetentionDays, 7));
    new vercel.ProjectDeploymentRetention(
      `${name}-retention`,
      {
        projectId,
        expirationProduction: period,
        expirationPreview: period,
        expirationErrored: shortPeriod,
        expirationCanceled: shortPeriod,
      },
      { parent: this },
    );

    new vercel.FirewallConfig(
      `${name}-firewall`,
      {
        projectId,
        enabled: true,
        managedRulesets: { owasp: owaspRulesets(environment.firewallAction) },
        rules: { rules: frontend.rateLimit ? [rateLimitRule(frontend.rateLimit)] : [] },
      },
      { parent: this },
    );

    const origin = siteUrl(app, spec, environment);
    for (const allowed of corsAllowList(origin, spec.cors.allowedOrigins)) {
      new vercel.ProjectRoute(
        `${name}-cors-${originLabel(allowed)}`,
        {
          projectId,
          name: `cors-${originLabel(allowed)}`,
          description: `CORS: grant ${allowed}`,
          position: { placement: "start" },
          route: {
            src: "/(.*)",
            has: [{ type: "header", key: "origin", value: allowed }],
            transforms: Object.entries(corsHeaders(allowed)).map(([header, value]) =>
              setResponseHeader(header, value),
            ),
          },
        },
        { parent: this },
      );
    }

    this.projectId = projectId;
    this.url = pulumi.output(origin);
    this.registerOutputs({ projectId: this.projectId, url: this.url });
  }
}

/** A routing-rule transform that sets one response header (Vercel takes target and args as JSON). */
function setResponseHeader(
  header: string,
  value: string,
): { type: string; op: string; target: string; args: string } {
  return {
    type: "response.headers",
    op: "set",
    target: JSON.stringify({ key: header }),
    args: JSON.stringify(value),
  };
}
