/** How probes judge an attempt: refused, empty, or exactly so many rows. */
import type { Attempt } from "./session";

/** insufficient_privilege: both "permission denied" and "new row violates row-level security policy". */
export const REFUSED = "42501";

function describe(attempt: Attempt): string {
  if (!attempt.ok) return `refused (${attempt.error.code ?? "?"}: ${attempt.error.message})`;
  const n = attempt.result.rows[0]?.["n"];
  return typeof n === "number" ? `${n} rows` : `${attempt.result.rowCount ?? 0} rows affected`;
}

/** Rows a `SELECT count(*)::int AS n` saw, or rows a DML statement affected. */
function rowsOf(attempt: Attempt & { ok: true }): number {
  const n = attempt.result.rows[0]?.["n"];
  return typeof n === "number" ? n : (attempt.result.rowCount ?? 0);
}

/** Refused for lack of privilege, or saw / touched no row. Returns the problem, if any. */
export function none(attempt: Attempt): string | undefined {
  if (!attempt.ok)
    return attempt.error.code === REFUSED ? undefined : `unexpected error: ${describe(attempt)}`;
  return rowsOf(attempt) === 0 ? undefined : `expected no row, got ${describe(attempt)}`;
}

/** Must be refused (privilege or RLS WITH CHECK), not merely fail. */
export function refused(attempt: Attempt): string | undefined {
  if (attempt.ok) return `expected a refusal, but it succeeded (${describe(attempt)})`;
  return attempt.error.code === REFUSED ? undefined : `expected a refusal, got ${describe(attempt)}`;
}

/** Saw or touched exactly `n` rows. */
export function exactly(attempt: Attempt, n: number): string | undefined {
  if (!attempt.ok) return `expected ${n} rows, got ${describe(attempt)}`;
  return rowsOf(attempt) === n ? undefined : `expected ${n} rows, got ${describe(attempt)}`;
}

/** The first problem of several checks. */
export function first(...problems: Array<string | undefined>): string | undefined {
  return problems.find((p) => p !== undefined);
}
