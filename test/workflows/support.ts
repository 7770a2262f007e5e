import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
export const ACTIONS_DIR = path.join(ROOT, ".github", "actions");
export const STACKS = ["dev", "qa", "prod"] as const;

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "working-directory"?: string;
}

export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  environment?: string | { name: string; url?: string };
  strategy?: { matrix?: Record<string, unknown> };
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  container?: string;
  defaults?: { run?: { "working-directory"?: string } };
  steps?: Step[];
}

export interface Workflow {
  /** File name under .github/workflows. */
  file: string;
  name: string;
  on: Record<string, any>;
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

export interface CompositeAction {
  /** Folder name under .github/actions. */
  dir: string;
  name: string;
  inputs?: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
}

export function workflowFiles(): string[] {
  return fs
    .readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function actionDirs(): string[] {
  return fs
    .readdirSync(ACTIONS_DIR)
    .filter((d) => fs.existsSync(path.join(ACTIONS_DIR, d, "action.yml")))
    .sort();
}

export function readWorkflow(file: string): Workflow {
  return {
    file,
    ...(parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Omit<Workflow, "file">),
  };
}

export function loadWorkflows(): Workflow[] {
  return workflowFiles().map(readWorkflow);
}

export function loadActions(): CompositeAction[] {
  return actionDirs().map((dir) => ({
    dir,
    ...(parse(fs.readFileSync(path.join(ACTIONS_DIR, dir, "action.yml"), "utf8")) as Omit<
      CompositeAction,
      "dir"
    >),
  }));
}

export function workflow(file: string): Workflow {
  return readWorkflow(file);
}

/** Every step of every job (and of every composite action), with where it is. */
export function allSteps(
  workflows: Workflow[],
  actions: CompositeAction[],
): Array<{ where: string; step: Step }> {
  const out: Array<{ where: string; step: Step }> = [];
  for (const wf of workflows) {
    for (const [id, job] of Object.entries(wf.jobs)) {
      for (const step of job.steps ?? []) out.push({ where: `${wf.file}#${id}`, step });
    }
  }
  for (const action of actions) {
    for (const step of action.runs.steps) out.push({ where: `.github/actions/${action.dir}`, step });
  }
  return out;
}

/** `secrets.NAME` references anywhere in a value, except GitHub's automatic GITHUB_TOKEN. */
export function secretsIn(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  const names = [...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  return [...new Set(names.filter((n) => n !== "GITHUB_TOKEN"))].sort();
}

/** The `${{ … }}` expressions of a string. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]!);
}

/** Top-level `&&` terms of a condition (parentheses respected), trimmed. */
export function conjuncts(condition: string): string[] {
  const expr = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, "");
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && expr.startsWith("&&", i)) {
      terms.push(expr.slice(start, i).trim());
      start = i + 2;
    }
  }
  terms.push(expr.slice(start).trim());
  return terms;
}

/** The job's `environment` as written (a name or a template). */
export function environmentOf(job: Job): string | undefined {
  if (job.environment === undefined) return undefined;
  return typeof job.environment === "string" ? job.environment : job.environment.name;
}

/** The values a single `${{ x }}` expression can take in a job, or undefined if unknown. */
export type Resolver = (expression: string) => string[] | undefined;

/** Every string a template can become, substituting each expression with the resolver's values. */
export function expand(template: string, resolve: Resolver): string[] {
  const match = /\$\{\{\s*(.*?)\s*\}\}/.exec(template);
  if (!match) return [template];
  const values = resolve(match[1]!);
  if (values === undefined) throw new Error(`cannot resolve \${{ ${match[1]} }} in "${template}"`);
  const head = template.slice(0, match.index);
  const tail = template.slice(match.index + match[0].length);
  return values.flatMap((v) => expand(tail, resolve).map((rest) => `${head}${v}${rest}`));
}

/** The values of `matrix.<key>` in a job: a literal list, or the stacks for a computed matrix. */
export function matrixValues(job: Job, key: string): string[] | undefined {
  const value = job.strategy?.matrix?.[key];
  if (Array.isArray(value)) return value.map(String);
  // A matrix computed from the affected-stacks script: any of the project's stacks.
  if (typeof value === "string" && /fromJSON\(needs\.\w+\.outputs\.stacks\)/.test(value)) return [...STACKS];
  return undefined;
}

/** The callers of a reusable workflow, with the values each passes for `input`. */
export function callerValues(workflows: Workflow[], file: string, input: string): string[] {
  const values: string[] = [];
  for (const wf of workflows) {
    for (const job of Object.values(wf.jobs)) {
      if (job.uses !== `./.github/workflows/${file}`) continue;
      const passed = String(job.with?.[input] ?? "");
      const fromDispatch = /^\$\{\{\s*inputs\.(\w+)\s*\}\}$/.exec(passed);
      if (fromDispatch) {
        const options = wf.on["workflow_dispatch"]?.inputs?.[fromDispatch[1]!]?.options;
        if (!Array.isArray(options)) throw new Error(`${wf.file}: inputs.${fromDispatch[1]} has no options`);
        values.push(...options.map(String));
      } else if (passed.includes("${{")) {
        throw new Error(`${wf.file}: cannot resolve ${passed}`);
      } else values.push(passed);
    }
  }
  return [...new Set(values)];
}

/** A resolver for the `matrix.*` and `inputs.*` of a job. */
export function jobResolver(workflows: Workflow[], wf: Workflow, job: Job): Resolver {
  return (expression) => {
    const matrix = /^matrix\.(\w+)$/.exec(expression);
    if (matrix) return matrixValues(job, matrix[1]!);
    const input = /^inputs\.(\w+)$/.exec(expression);
    if (input && wf.on["workflow_call"]) return callerValues(workflows, wf.file, input[1]!);
    return undefined;
  };
}

/** The GitHub environments a job can run in. */
export function environmentsOf(workflows: Workflow[], wf: Workflow, job: Job): string[] {
  const env = environmentOf(job);
  return env === undefined ? [] : expand(env, jobResolver(workflows, wf, job));
}

/** The environments declared in .github/environments.yml. */
export interface DeliveryEnvironments {
  secrets: Record<
    string,
    { variable: string; purpose: string; deploy: string; preview: string; backup?: string }
  >;
  environments: Record<
    string,
    { stack: string; role: "deploy" | "preview" | "backup"; app?: string; secrets: string[] }
  >;
}

export function deliveryEnvironments(): DeliveryEnvironments {
  return parse(
    fs.readFileSync(path.join(ROOT, ".github", "environments.yml"), "utf8"),
  ) as DeliveryEnvironments;
}

/** The `environment.branches` of a stack's profile. */
export function stackBranches(stack: string): string[] {
  const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, { branches: string[] }>;
  };
  return file.config["launchpad:environment"]!.branches;
}

/** A deep copy, for mutating a workflow in a sensitivity check. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
