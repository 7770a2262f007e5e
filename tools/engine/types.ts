import type { ConfigIssue } from "../../infra/config/errors";
import type { PlainSecrets } from "../../infra/config/load";

/** One resource the program registered, as the offline engine observed it. */
export interface RecordedResource {
  /** Type token, e.g. `launchpad:index:App` or `vercel:index/project:Project`. */
  type: string;
  /** Logical name. */
  name: string;
  urn: string;
  /** URN of the parent; the stack root for top-level resources. */
  parent: string;
  /** Whether the resource is a provider-managed (custom) resource rather than a component. */
  custom: boolean;
  /** Inputs with every secret value replaced by `[secret]`. */
  inputs: Record<string, unknown>;
  /** Paths (`a.b[0].c`) of the inputs that are Pulumi secrets. */
  secretInputs: string[];
  /**
   * Secret input path → digest of its offline stand-in (none for a real value), so `plan --diff`
   * can tell a changed secret from an unchanged one without seeing either.
   */
  secretDigests?: Record<string, string>;
  protect: boolean;
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  /** URNs of explicit and implicit dependencies. */
  dependsOn: string[];
  /** Input property → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** Provider reference (`urn::id`), empty for components and default providers. */
  provider: string;
}

export interface StackEvaluation {
  stack: string;
  resources: RecordedResource[];
  /** Stack outputs, secrets replaced by `[secret]`. */
  outputs: Record<string, unknown>;
}

/** How one stack's evaluation ended. */
export type StackOutcome =
  | { stack: string; ok: true; evaluation: StackEvaluation; analysis?: unknown }
  | { stack: string; ok: false; configIssues: ConfigIssue[] }
  /** `--app` named apps the catalog does not declare. */
  | { stack: string; ok: false; unknownApps: string[]; catalogApps: string[] }
  | { stack: string; ok: false; error: string };

export interface EvaluateOptions {
  /**
   * Refuse to stand in for secrets the stack file does not hold. Off by default: offline, secret
   * values are unavailable anyway, so placeholders (still marked secret) stand in for them.
   */
  requireSecrets?: boolean;
  /** Project folder holding Pulumi.yaml and the stack files; defaults to this repository. */
  projectDir?: string;
  /**
   * Secret values stored in plain text: refused as a config error (default), or declared by the
   * program so the policy pack reports them (the audit evaluates the stack and says so).
   */
  plainSecrets?: PlainSecrets;
  /**
   * Serialize each dynamic provider as `pulumi up` does (slow). Off by default: the engine never
   * runs providers, so a marker stands in for their code.
   */
  serializeProviders?: boolean;
  /**
   * A module whose `analyze(evaluation, options)` runs in the stack's worker right after the
   * evaluation (in parallel with the other stacks); its result comes back as `analysis`.
   */
  analyzer?: string;
  /**
   * Report only these apps (catalog names): the evaluation keeps their resources, the analyzer is
   * told through these options. An unknown one fails the stack with `unknownApps`.
   */
  apps?: string[];
  /**
   * How many worker threads evaluate stacks at once (default: one per CPU, at most one per stack).
   * A thread evaluates its stacks one after another and keeps the SDK it loaded between them.
   */
  threads?: number;
}

/** What an `analyzer` module exports. */
export type Analyze = (evaluation: StackEvaluation, options: EvaluateOptions) => Promise<unknown>;
