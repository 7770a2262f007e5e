import type { RecordedResource, StackEvaluation } from "../engine/types";

/** The package a type token belongs to: `vercel:index/project:Project` → `vercel`. */
export function providerOf(type: string): string {
  if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
  return type.split(":")[0] ?? type;
}

/** Default provider registrations are engine plumbing, not part of the inventory a reviewer reads. */
const isProviderResource = (r: RecordedResource): boolean => r.type.startsWith("pulumi:providers:");

export function countByProvider(resources: readonly RecordedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of resources) {
    if (isProviderResource(resource)) continue;
    const provider = providerOf(resource.type);
    counts[provider] = (counts[provider] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The JSON inventory: `{"stacks":[{"stack","resources":[{type,name,urn,parent,secretInputs}]}]}`. */
export function planJson(evaluations: readonly StackEvaluation[]): string {
  const stacks = evaluations.map((evaluation) => ({
    stack: evaluation.stack,
    resources: evaluation.resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent,
      secretInputs: r.secretInputs,
    })),
  }));
  return `${JSON.stringify({ stacks }, null, 2)}\n`;
}

function renderTree(resources: readonly RecordedResource[], root: string): string[] {
  const children = new Map<string, RecordedResource[]>();
  for (const resource of resources) {
    if (isProviderResource(resource)) continue;
    children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
  }
  const lines: string[] = [];
  const walk = (parent: string, prefix: string): void => {
    // Apps keep catalog order; inside an app registration order is async, so sort for stable diffs.
    const items = [...(children.get(parent) ?? [])];
    if (parent !== root) items.sort((a, b) => a.name.localeCompare(b.name));
    items.forEach((resource, index) => {
      const last = index === items.length - 1;
      const secrets =
        resource.secretInputs.length > 0 ? `  [secret: ${resource.secretInputs.join(", ")}]` : "";
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${resource.name}  (${resource.type})${secrets}`);
      walk(resource.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(root, "  ");
  return lines;
}

/** The inventory as a tree per stack (app → component → resources) with counts per provider. */
export function planTable(evaluations: readonly StackEvaluation[]): string {
  const blocks = evaluations.map((evaluation) => {
    const shown = evaluation.resources.filter((r) => !isProviderResource(r));
    const root =
      evaluation.resources.find((r) => !evaluation.resources.some((p) => p.urn === r.parent))?.parent ?? "";
    const apps = shown.filter((r) => r.parent === root && r.type === "launchpad:index:App").length;
    const counts = Object.entries(countByProvider(evaluation.resources))
      .map(([provider, count]) => `${provider} ${count}`)
      .join(", ");
    return [
      `Stack ${evaluation.stack}: ${apps} app${apps === 1 ? "" : "s"}, ${shown.length} resource${shown.length === 1 ? "" : "s"}`,
      ...renderTree(evaluation.resources, root),
      `  Resources per provider: ${counts || "none"}`,
    ].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}
