/**
 * The file `pulumi import --file` (and `pulumi preview --import-file`) reads: the resources to import
 * with their ids, each parent and explicit provider named in `nameTable` by URN. Format: pulumi/pulumi
 * pkg/cmd/pulumi/operations/import.go (`importFile`, `importSpec`, `parseImportFile`).
 */

import * as fs from "node:fs";
import type { RecordedResource, StackEvaluation } from "../engine";
import type { ImportMatch } from "./import-ids";

export interface ImportSpec {
  type: string;
  /** Name of the entry (the resource's logical name, unique in the stack). */
  name: string;
  id: string;
  /** A `nameTable` key: the component the resource is declared under. */
  parent?: string;
  /** A `nameTable` key: the explicit provider the resource is created with. */
  provider?: string;
  /** Plugin version and where it comes from, for resources on a default provider. */
  version?: string;
  pluginDownloadUrl?: string;
}

export interface PulumiImportFile {
  nameTable: Record<string, string>;
  resources: ImportSpec[];
}

/** npm package of each provider, for the plugin version of a default provider. */
const PACKAGES: Record<string, string> = {
  vercel: "@pulumiverse/vercel",
  github: "@pulumi/github",
  postgresql: "@pulumi/postgresql",
};

function pluginOf(type: string, projectDir: string): Pick<ImportSpec, "version" | "pluginDownloadUrl"> {
  const pkg = PACKAGES[type.split(":")[0]!];
  if (!pkg) return {};
  const file = require.resolve(`${pkg}/package.json`, { paths: [projectDir, __dirname] });
  const plugin = (
    JSON.parse(fs.readFileSync(file, "utf8")) as { pulumi?: { version?: string; server?: string } }
  ).pulumi;
  return {
    ...(plugin?.version ? { version: plugin.version } : {}),
    ...(plugin?.server ? { pluginDownloadUrl: plugin.server } : {}),
  };
}

/** `urn::id` → the provider's URN (ids never contain `::`, URNs do). */
function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

export interface ImportPlan {
  file: PulumiImportFile;
  /**
   * What must exist in the stack before `pulumi import` runs: every component that parents an
   * imported resource (and its ancestors) and every explicit provider used, as `--target` URNs.
   * Creating them touches no cloud API.
   */
  targets: string[];
}

export function buildImportFile(
  evaluation: StackEvaluation,
  matches: ImportMatch[],
  projectDir: string,
): ImportPlan {
  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  const nameTable: Record<string, string> = {};
  const targets = new Set<string>();
  const name = (r: RecordedResource) => {
    const taken = nameTable[r.name];
    if (taken !== undefined && taken !== r.urn)
      throw new Error(`two resources of stack ${evaluation.stack} are named ${r.name}`);
    nameTable[r.name] = r.urn;
    return r.name;
  };
  const needAncestors = (urn: string) => {
    for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent)) targets.add(r.urn);
  };
  const resources = matches.map(({ resource: r, id }): ImportSpec => {
    const spec: ImportSpec = { type: r.type, name: r.name, id };
    const parent = byUrn.get(r.parent);
    if (parent) {
      spec.parent = name(parent);
      needAncestors(parent.urn);
    }
    const provider = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
    if (provider) {
      spec.provider = name(provider);
      needAncestors(provider.urn);
    } else {
      Object.assign(spec, pluginOf(r.type, projectDir));
    }
    return spec;
  });
  // Ancestors first, as `pulumi up --target` creates them.
  const order = evaluation.resources.map((r) => r.urn).filter((u) => targets.has(u));
  return { file: { nameTable, resources }, targets: order };
}

/** The import file as `pulumi import` writes its own: indented JSON, no HTML escaping needed. */
export function importFileJson(file: PulumiImportFile): string {
  return `${JSON.stringify(file, null, 4)}\n`;
}
