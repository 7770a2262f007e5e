import { isCleanlySerialized } from "../engine/provider-code";
import type { StackEvaluation } from "../engine";

/**
 * After `plan --serialize-providers`: how each stack's dynamic providers serialized. A provider
 * whose code holds a secret, or could not be serialized, is named by its resource's URN.
 */
export function checkSerializedProviders(evaluations: readonly StackEvaluation[]): {
  ok: boolean;
  lines: string[];
} {
  const lines: string[] = [];
  let ok = true;
  for (const evaluation of evaluations) {
    const dynamic = evaluation.resources.filter((r) => "__provider" in r.inputs);
    const failed = dynamic.filter((r) => !isCleanlySerialized(r.inputs["__provider"]));
    if (failed.length === 0) {
      lines.push(
        `${evaluation.stack}: the provider code of ${dynamic.length} dynamic resource${dynamic.length === 1 ? "" : "s"} serialized as \`pulumi up\` ships it, none capturing a secret`,
      );
      continue;
    }
    ok = false;
    for (const resource of failed)
      lines.push(`launchpad: ${evaluation.stack}: ${resource.urn}: ${String(resource.inputs["__provider"])}`);
  }
  return { ok, lines };
}
