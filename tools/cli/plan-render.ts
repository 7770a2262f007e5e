import { adoptionLines, takesOver } from "../adopt/adoption";
import type { RecordedResource, StackEvaluation } from "../engine/types";
import { fitLine, PLAIN, shortType, wrapText, type TextStyle } from "./terminal";

/** The package a type token belongs to: `vercel:index/project:Project` → `vercel`. */
export function providerOf(type: string): string {
  if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
  // Dynamic providers share one package; their module names the API they drive.
  const dynamic = /^pulumi-nodejs:dynamic\/([^:]+):/.exec(type);
  if (dynamic) return `${dynamic[1]} (dynamic)`;
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

/**
 * The JSON inventory: `{"stacks":[{"stack","resources":[{type,name,urn,parent,secretInputs,adopts?}],"outputs"}]}`;
 * `outputs` are the stack outputs (URLs, alert thresholds), secrets masked; `adopts` names what exists
 * already and is taken over instead of created (a Fly app the catalog names).
 */
export function planJson(evaluations: readonly StackEvaluation[]): string {
  const stacks = evaluations.map((evaluation) => ({
    stack: evaluation.stack,
    resources: evaluation.resources.map((r) => {
      const adopts = takesOver(r);
      return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        secretInputs: r.secretInputs,
        ...(adopts !== undefined ? { adopts } : {}),
      };
    }),
    outputs: evaluation.outputs,
  }));
  return `${JSON.stringify({ stacks }, null, 2)}\n`;
}

function renderTree(resources: readonly RecordedResource[], root: string, style: TextStyle): string[] {
  const c = style.colors;
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
      // A terminal gets the short type; a pipe or file the whole token, for grep.
      const type = style.width === undefined ? resource.type : shortType(resource.type);
      lines.push(
        fitLine(
          [
            [`${prefix}${last ? "└─ " : "├─ "}`, c.dim],
            [resource.name, resource.type === "launchpad:index:App" ? c.bold : undefined],
            [`  (${type})`, c.dim],
            [secrets, c.yellow],
          ],
          style.width,
        ),
      );
      walk(resource.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(root, "  ");
  return lines;
}

/** Alert thresholds in words: `failure rate > 5 %, 5xx, database down`. */
export function describeThresholds(thresholds: Record<string, unknown>): string {
  const words: string[] = [];
  const t = thresholds;
  if (t["failureRatePercent"] !== undefined)
    words.push(`failure rate > ${String(t["failureRatePercent"])} %`);
  if (t["responseTimeMs"] !== undefined) words.push(`response > ${String(t["responseTimeMs"])} ms`);
  if (t["queueSize"] !== undefined) words.push(`queue > ${String(t["queueSize"])}`);
  if (t["http5xx"] === true) words.push("5xx");
  if (t["databaseDown"] === true) words.push("database down");
  if (t["resourceUtilizationPercent"] !== undefined)
    words.push(`resources > ${String(t["resourceUtilizationPercent"])} %`);
  return words.length > 0 ? words.join(", ") : "deploy and CI events only";
}

/** Each app's alert channel and thresholds, from the stack outputs. */
function alertLines(outputs: Record<string, unknown>): string[] {
  const alerts = (outputs["alerts"] ?? {}) as Record<
    string,
    { channel?: string; thresholds?: Record<string, unknown> }
  >;
  const entries = Object.entries(alerts);
  if (entries.length === 0) return [];
  return [
    "  Alerts:",
    ...entries.map(
      ([app, a]) => `    ${app} → #${a.channel ?? "?"}: ${describeThresholds(a.thresholds ?? {})}`,
    ),
  ];
}

/** The inventory as a tree per stack (app → component → resources) with counts per provider. */
export function planTable(evaluations: readonly StackEvaluation[], style: TextStyle = PLAIN): string {
  const c = style.colors;
  const blocks = evaluations.map((evaluation) => {
    const shown = evaluation.resources.filter((r) => !isProviderResource(r));
    const root =
      evaluation.resources.find((r) => !evaluation.resources.some((p) => p.urn === r.parent))?.parent ?? "";
    const apps = shown.filter((r) => r.parent === root && r.type === "launchpad:index:App").length;
    const counts = Object.entries(countByProvider(evaluation.resources))
      .map(([provider, count]) => `${provider} ${count}`)
      .join(", ");
    return [
      c.bold(
        `Stack ${evaluation.stack}: ${apps} app${apps === 1 ? "" : "s"}, ${shown.length} resource${shown.length === 1 ? "" : "s"}`,
      ),
      ...renderTree(evaluation.resources, root, style),
      ...wrapText(counts || "none", style.width, "    ", "  Resources per provider: "),
      ...[...alertLines(evaluation.outputs), ...adoptionLines(evaluation)].flatMap((line) =>
        wrapText(
          line.trimStart(),
          style.width,
          "      ",
          line.slice(0, line.length - line.trimStart().length),
        ),
      ),
    ].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}
