/**
 * The attack suite's machinery: an attack is one move (SQL) an attacker — anon, a user of another
 * tenant, an app login — has against the applied layer. It holds when Postgres refuses it for lack
 * of privilege (42501, RLS WITH CHECK included) or when it reaches no row; anything else, success or
 * another error, is reported with the SQL that did it.
 */
import { REFUSED } from "./checks";
import { verdict, type ProbeResult } from "./report";
import { asIdentity, type Attempt, type Identity, type Probe } from "./session";

/** Who attacks: a connection (the admin's for API roles, a login's own) and who it claims to be. */
export interface Attacker {
  readonly name: string;
  readonly url: string;
  readonly identity: Identity;
}

export interface Attack {
  /** What is attacked: `table user_roles`, `function launchpad_audit`, `database`… */
  readonly subject: string;
  /** The move, in words: `adds itself to tenant B`. */
  readonly move: string;
  readonly sql: string;
  readonly values?: readonly unknown[];
  /**
   * What success looks like once the statement runs: it saw rows (`SELECT count(*)::int AS n`), it
   * changed rows, or merely running is the breach (DDL, SET ROLE, a trigger that fired).
   */
  readonly success: "count" | "rows" | "runs";
}

/** Statements run with the connection's own powers before the attacks (another member, a role). */
export type Setup = (admin: Probe) => Promise<void>;

export interface AttackGroup {
  readonly attacker: Attacker;
  readonly setup?: Setup;
  readonly attacks: readonly Attack[];
}

/** Why the attack counts as a success, or undefined when it held. */
export function breach(attack: Attack, attempt: Attempt): string | undefined {
  if (!attempt.ok) {
    return attempt.error.code === REFUSED
      ? undefined
      : `failed otherwise than for lack of privilege (${attempt.error.code ?? "?"}: ${attempt.error.message})`;
  }
  if (attack.success === "runs") return "it ran";
  // A chain of statements answers with one result each: its last one tells.
  const results = attempt.result as unknown;
  const result = Array.isArray(results)
    ? (results[results.length - 1] as typeof attempt.result)
    : attempt.result;
  const n = result.rows[0]?.["n"];
  const rows = attack.success === "count" && typeof n === "number" ? n : (result.rowCount ?? 0);
  return rows === 0 ? undefined : `it reached ${rows} rows`;
}

function inline(sql: string, values: readonly unknown[] = []): string {
  return values.reduce<string>(
    (text, value, i) =>
      text.replace(new RegExp(`\\$${i + 1}(?!\\d)`, "g"), `'${String(value).replace(/'/g, "''")}'`),
    sql.replace(/\s+/g, " ").trim(),
  );
}

/** Runs a group in one transaction (rolled back), each attack under its own savepoint. */
export async function runAttacks(group: AttackGroup): Promise<ProbeResult[]> {
  const { attacker } = group;
  return asIdentity(attacker.url, attacker.identity, async (q, admin) => {
    await group.setup?.(admin);
    const results: ProbeResult[] = [];
    for (const attack of group.attacks) {
      const attempt = await q(attack.sql, attack.values ? [...attack.values] : undefined);
      // Back to the attacker's own identity, whatever a SET ROLE that got through left behind.
      await admin("SELECT 1");
      const problem = breach(attack, attempt);
      const sql = inline(attack.sql, attack.values);
      results.push({
        ...verdict(attack.subject, `${attacker.name} ${attack.move}`, problem && `${problem}: ${sql}`),
        attack: { sql },
      });
    }
    return results;
  });
}
