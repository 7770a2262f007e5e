/**
 * What a stack's first `pulumi up` does to each resource it declares: import an existing one (the ids
 * file names it), take one over as it creates it (dynamic providers that read first, then converge),
 * or create it. Shown by `launchpad import` and, for the adoptions the catalog itself declares, by
 * `launchpad plan`, so a reviewer sees that the first prod `up` creates no second copy.
 */

import type { RecordedResource, StackEvaluation } from "../engine";
import type { ImportMatch } from "./import-ids";

export type AdoptionKind = "import" | "adopt-on-create" | "create";

export interface Adoption {
  urn: string;
  type: string;
  name: string;
  kind: AdoptionKind;
  /** The import id, or what is taken over (`Fly app backend-solitary-moon-1875`). */
  detail?: string;
  /** Set when the resource takes over something that runs already (see `takesOver`). */
  takesOver?: string;
}

/** Dynamic resources that read what exists and converge on it when created (docs/runbooks/adopt-existing.md §4). */
const CONVERGING_DYNAMIC = new Set([
  "pulumi-nodejs:dynamic/postgres:TableRowLevelSecurity",
  "pulumi-nodejs:dynamic/postgres:PlatformTables",
  "pulumi-nodejs:dynamic/postgres:StorageBucket",
  "pulumi-nodejs:dynamic/postgres:CronJob",
  "pulumi-nodejs:dynamic/postgres:SupabaseCompat",
  "pulumi-nodejs:dynamic/fly:IpAssignment",
  "pulumi-nodejs:dynamic/fly:Secrets",
]);

/** What the resource takes over instead of creating: `Fly app <name>` for a Fly app the catalog names (`flyApp`). */
export function takesOver(r: RecordedResource): string | undefined {
  return r.type === "pulumi-nodejs:dynamic/fly:App" && r.inputs["adoptExisting"] === true
    ? `Fly app ${String(r.inputs["name"])}`
    : undefined;
}

function classify(r: RecordedResource, imported: Map<string, ImportMatch>): Adoption {
  const base = { urn: r.urn, type: r.type, name: r.name };
  const match = imported.get(r.urn);
  if (match) return { ...base, kind: "import", detail: match.id };
  const existing = takesOver(r);
  if (existing !== undefined)
    return { ...base, kind: "adopt-on-create", detail: existing, takesOver: existing };
  if (CONVERGING_DYNAMIC.has(r.type))
    return { ...base, kind: "adopt-on-create", detail: "converges on what exists" };
  return { ...base, kind: "create" };
}

/** Each custom resource of the stack (components and providers create nothing in a cloud). */
export function adoptionOf(evaluation: StackEvaluation, matches: ImportMatch[] = []): Adoption[] {
  const imported = new Map(matches.map((m) => [m.resource.urn, m]));
  return evaluation.resources
    .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
    .map((r) => classify(r, imported));
}

/** `import 12, adopt on create 20, create 140`. */
export function adoptionSummary(adoptions: Adoption[]): string {
  const count = (kind: AdoptionKind) => adoptions.filter((a) => a.kind === kind).length;
  return `import ${count("import")}, adopt on create ${count("adopt-on-create")}, create ${count("create")}`;
}

/**
 * The plan's word on adoption: which existing things the stack takes over as it creates them (the
 * Fly apps the catalog names), how many resources converge on what exists, and the command that
 * writes the import file for the rest.
 */
export function adoptionLines(evaluation: StackEvaluation): string[] {
  const adoptions = adoptionOf(evaluation);
  const flyApps = adoptions.filter((a) => a.takesOver !== undefined);
  const converging = adoptions.filter((a) => a.kind === "adopt-on-create").length - flyApps.length;
  return [
    `  Adoption: ${flyApps.length > 0 ? `takes over ${flyApps.map((a) => `${a.detail} (${a.name})`).join(", ")}; ` : ""}${converging} dynamic resource${converging === 1 ? "" : "s"} converge on what exists; the rest is created unless imported (launchpad import --stack ${evaluation.stack} --ids FILE)`,
  ];
}
