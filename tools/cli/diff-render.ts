import type { PropertyChange } from "./property-diff";
import type { ChangedResource, DiffResource, StackDiff } from "./stack-diff";
import { fitLine, PLAIN, shortType, type TextStyle } from "./terminal";

/** The commit a diff compares the work tree with. */
export interface DiffBase {
  ref: string;
  commit: string;
}

export interface PlanDiff {
  base: DiffBase;
  stacks: StackDiff[];
}

/** Counts per stack, in the order the Markdown summary shows them. */
export function summaryOf(diff: StackDiff): {
  added: number;
  changed: number;
  replaced: number;
  removed: number;
  outputs: number;
} {
  return {
    added: diff.added.length,
    changed: diff.changed.length,
    replaced: diff.replaced.length,
    removed: diff.removed.length,
    outputs: diff.outputs.length,
  };
}

/**
 * The JSON diff: `{"base":{"ref","commit"},"stacks":[{"stack","summary":{added,changed,replaced,
 * removed,outputs},"added":[…],"removed":[…],"replaced":[…],"changed":[…],"outputs":[…],
 * "secretsMadePlain":[…]}]}` (README, "launchpad plan --diff"). Every list is sorted; secrets are
 * `[secret]`.
 */
export function diffJson(diff: PlanDiff): string {
  const stacks = diff.stacks.map((s) => ({
    stack: s.stack,
    summary: summaryOf(s),
    added: s.added,
    removed: s.removed,
    replaced: s.replaced,
    changed: s.changed,
    outputs: s.outputs,
    secretsMadePlain: s.secretsMadePlain,
  }));
  return `${JSON.stringify({ base: diff.base, stacks }, null, 2)}\n`;
}

/** A value as one short line. */
function show(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function changeText(change: PropertyChange): string {
  const note =
    change.secret === "became-plain"
      ? "  (secret now sent in clear)"
      : change.secret === "became-secret"
        ? "  (now secret)"
        : change.secret === "changed"
          ? "  (secret changed)"
          : "";
  return `${change.path}: ${show(change.before)} → ${show(change.after)}${note}`;
}

const label = (r: DiffResource): string => `${r.name} [${shortType(r.type)}]`;

/** The diff per stack for a terminal: + added, ~ changed, ± replaced, − removed, with property changes. */
export function diffTable(diff: PlanDiff, style: TextStyle = PLAIN): string {
  const c = style.colors;
  const out: string[] = [`Compared with ${diff.base.ref} (${diff.base.commit.slice(0, 12)})`, ""];
  const line = (segments: Parameters<typeof fitLine>[0]) => out.push(fitLine(segments, style.width));
  for (const s of diff.stacks) {
    const n = summaryOf(s);
    const empty = n.added + n.changed + n.replaced + n.removed + n.outputs === 0;
    out.push(
      c.bold(
        `Stack ${s.stack}: ${empty ? "no changes" : `+${n.added} ~${n.changed} ±${n.replaced} −${n.removed}, ${n.outputs} output${n.outputs === 1 ? "" : "s"} changed`}`,
      ),
    );
    for (const r of s.removed) {
      line([
        ["  − ", c.red],
        [label(r), c.red],
        [r.protect ? "  PROTECTED" : "", c.bold],
      ]);
    }
    for (const r of s.replaced) {
      line([
        ["  ± ", c.magenta],
        [label(r)],
        [`  replaced: ${r.replaceInputs!.join(", ")} changed`, c.magenta],
        [r.protect ? "  PROTECTED" : "", c.bold],
      ]);
      for (const change of r.changes) line([["      "], [changeText(change), c.dim]]);
    }
    for (const r of s.changed) {
      line([
        ["  ~ ", c.yellow],
        [label(r)],
        [r.replaceUnknown ? `  (replacement not judged: ${r.replaceUnknown})` : "", c.dim],
      ]);
      for (const change of r.changes)
        line([["      "], [changeText(change), change.secret === "became-plain" ? c.red : c.dim]]);
    }
    for (const r of s.added)
      line([
        ["  + ", c.green],
        [label(r), c.green],
      ]);
    for (const change of s.outputs) line([["  output "], [changeText(change), c.dim]]);
    for (const leak of s.secretsMadePlain) {
      line([
        ["  ! ", c.red],
        [
          `${leak.path} of ${leak.urn.slice(leak.urn.lastIndexOf("::") + 2)} was secret and is now plain`,
          c.red,
        ],
      ]);
    }
    out.push("");
  }
  return `${out.join("\n")}`;
}

/** Text safe inside a Markdown code span in a table cell. */
const code = (text: string): string =>
  `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\n/g, " ")}\``;

function markdownChange(change: PropertyChange): string {
  const note =
    change.secret === "became-plain"
      ? " ⚠️ secret now sent in clear"
      : change.secret === "changed"
        ? " (secret changed)"
        : change.secret === "became-secret"
          ? " (now secret)"
          : "";
  return `  - ${code(change.path)}: ${code(show(change.before))} → ${code(show(change.after))}${note}`;
}

function markdownResource(sign: string, r: DiffResource | ChangedResource): string[] {
  const changed = "changes" in r ? r : undefined;
  const why = changed?.replaceInputs
    ? ` — replaced: ${changed.replaceInputs.map(code).join(", ")} changed`
    : "";
  const shield = r.protect ? " 🛡️ protected" : "";
  return [
    `- ${sign} ${code(r.name)} (${code(r.type)})${why}${shield}`,
    ...(changed?.changes.map(markdownChange) ?? []),
  ];
}

/**
 * The diff as a pull-request comment: a summary per stack (+ added, ~ changed, ± replaced,
 * − removed), replacements and removals of protected resources and secrets made plain at the top,
 * each stack's details folded.
 */
export function diffMarkdown(diff: PlanDiff): string {
  const out = [
    `## launchpad plan --diff`,
    "",
    `Compared with ${code(diff.base.ref)} (${diff.base.commit.slice(0, 12)}), offline: what each stack declares, not what its state holds.`,
    "",
  ];
  const alarms = diff.stacks.flatMap((s) => [
    ...s.replaced
      .filter((r) => r.protect)
      .map((r) => `- ${s.stack}: protected ${code(r.name)} (${code(r.type)}) is **replaced**`),
    ...s.removed
      .filter((r) => r.protect)
      .map((r) => `- ${s.stack}: protected ${code(r.name)} (${code(r.type)}) is **removed**`),
    ...s.secretsMadePlain.map(
      (l) =>
        `- ${s.stack}: ${code(l.path)} of ${code(l.urn.slice(l.urn.lastIndexOf("::") + 2))} was secret and is now sent in clear`,
    ),
  ]);
  if (alarms.length > 0) out.push("### ⚠️ Needs attention", "", ...alarms, "");
  out.push("| stack | + added | ~ changed | ± replaced | − removed | outputs |", "|---|---|---|---|---|---|");
  for (const s of diff.stacks) {
    const n = summaryOf(s);
    out.push(`| ${s.stack} | ${n.added} | ${n.changed} | ${n.replaced} | ${n.removed} | ${n.outputs} |`);
  }
  out.push("");
  for (const s of diff.stacks) {
    const n = summaryOf(s);
    if (n.added + n.changed + n.replaced + n.removed + n.outputs === 0) continue;
    out.push(
      "<details>",
      `<summary>${s.stack}: +${n.added} ~${n.changed} ±${n.replaced} −${n.removed}</summary>`,
      "",
      ...s.replaced.flatMap((r) => markdownResource("±", r)),
      ...s.removed.flatMap((r) => markdownResource("−", r)),
      ...s.changed.flatMap((r) => markdownResource("~", r)),
      ...s.added.flatMap((r) => markdownResource("+", r)),
      ...(s.outputs.length > 0 ? ["- outputs:", ...s.outputs.map(markdownChange)] : []),
      "",
      "</details>",
      "",
    );
  }
  if (diff.stacks.every((s) => Object.values(summaryOf(s)).every((v) => v === 0))) {
    out.push("No stack changes.", "");
  }
  return out.join("\n");
}
