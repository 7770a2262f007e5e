/**
 * Checks equivalent to Supabase's database linter (supabase/splinter), under its names, run on the
 * applied layer. The queries are ours: each reads the catalogs for what the lint of that name
 * describes, in schema public (the schema the API exposes) unless said otherwise.
 */
import type { ProbeResult } from "./report";
import { verdict } from "./report";
import { rows } from "./session";

interface Lint {
  readonly name: string;
  /** What the lint finds, in words. */
  readonly finds: string;
  /** One row per finding, with a `finding` column naming it. */
  readonly query: string;
  /** Findings computed from the rows instead, when SQL alone says it poorly. */
  readonly judge?: (found: Array<Record<string, unknown>>) => string[];
}

const PUBLIC_TABLES = `FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`;

/** Functions of schema public that no extension owns. */
const PUBLIC_FUNCTIONS = `FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.prokind = 'f'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass
                     AND d.objid = p.oid AND d.deptype = 'e')`;

/** Calls that Postgres evaluates once per row unless wrapped in a sub-select (an initPlan). */
const PER_ROW_CALL = /\b(auth\.(?:uid|jwt|role|email)\(\)|current_setting\()/g;

function unwrappedCalls(expression: string): string[] {
  const found: string[] = [];
  for (const match of expression.matchAll(PER_ROW_CALL)) {
    const before = expression.slice(0, match.index).trimEnd();
    if (!/\bSELECT$/i.test(before)) found.push(match[1]!);
  }
  return found;
}

export const LINTS: readonly Lint[] = [
  {
    name: "rls_disabled_in_public",
    finds: "tables of schema public without row level security",
    query: `SELECT c.relname::text AS finding ${PUBLIC_TABLES} AND NOT c.relrowsecurity ORDER BY 1`,
  },
  {
    name: "rls_enabled_no_policy",
    finds: "tables with row level security and no policy",
    query: `SELECT c.relname::text AS finding ${PUBLIC_TABLES} AND c.relrowsecurity
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid) ORDER BY 1`,
  },
  {
    name: "policy_exists_rls_disabled",
    finds: "tables with policies that row level security does not apply",
    query: `SELECT c.relname::text AS finding ${PUBLIC_TABLES} AND NOT c.relrowsecurity
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid) ORDER BY 1`,
  },
  {
    name: "function_search_path_mutable",
    finds: "functions whose search_path the caller sets",
    query: `SELECT p.oid::regprocedure::text AS finding ${PUBLIC_FUNCTIONS}
              AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) s WHERE s LIKE 'search_path=%')
            ORDER BY 1`,
  },
  ...(["anon", "authenticated"] as const).map((role) => ({
    name: `${role}_security_definer_function_executable`,
    finds: `SECURITY DEFINER functions ${role} may call`,
    query: `SELECT p.oid::regprocedure::text AS finding ${PUBLIC_FUNCTIONS} AND p.prosecdef
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = '${role}')
              AND pg_catalog.has_function_privilege('${role}', p.oid, 'EXECUTE') ORDER BY 1`,
  })),
  {
    name: "auth_rls_initplan",
    finds: "policies calling auth.*() or current_setting() once per row",
    query: `SELECT tablename || '.' || policyname AS finding, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS expression
              FROM pg_catalog.pg_policies WHERE schemaname = 'public' ORDER BY 1`,
    judge: (found) =>
      found
        .filter((row) => unwrappedCalls(String(row["expression"])).length > 0)
        .map((row) => `${String(row["finding"])}: ${unwrappedCalls(String(row["expression"])).join(", ")}`),
  },
  {
    name: "multiple_permissive_policies",
    finds: "several permissive policies for one role and action on one table",
    // ALL counts for each action; PUBLIC (0) for every role.
    query: `SELECT c.relname || ' ' || a.action || ' for ' || r.role || ': ' || string_agg(p.polname::text, ', ' ORDER BY p.polname) AS finding
              FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL unnest(CASE p.polcmd WHEN '*' THEN ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']
                   WHEN 'r' THEN ARRAY['SELECT'] WHEN 'a' THEN ARRAY['INSERT'] WHEN 'w' THEN ARRAY['UPDATE']
                   ELSE ARRAY['DELETE'] END) AS a(action)
              CROSS JOIN LATERAL (SELECT CASE WHEN x = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x)::text END AS role
                                    FROM unnest(p.polroles) AS x) r
             WHERE n.nspname = 'public' AND p.polpermissive
             GROUP BY c.relname, a.action, r.role HAVING count(*) > 1 ORDER BY 1`,
  },
];

/** Every lint on the server's current state: a probe each, failed with its findings. */
export async function runLints(adminUrl: string): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const lint of LINTS) {
    const found = await rows<Record<string, unknown>>(adminUrl, lint.query);
    const findings = lint.judge ? lint.judge(found) : found.map((row) => String(row["finding"]));
    results.push(
      verdict(
        `lint ${lint.name}`,
        `no ${lint.finds}`,
        findings.length > 0 ? `${findings.length} found: ${findings.join("; ")}` : undefined,
        "0 findings",
      ),
    );
  }
  return results;
}
