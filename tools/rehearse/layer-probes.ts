/**
 * Probes of the rest of the layer: the platform tables' RLS, private storage buckets, and the stack's
 * own login roles (TLS aside, what a connection as each of them can and cannot do).
 */
import type { DatabasePlan } from "../../infra/components/database-plan";
import { exactly, first, none, refused } from "./checks";
import { verdict, type ProbeResult } from "./report";
import { asIdentity, inTransaction } from "./session";
import { USER, type StandInTable } from "./stand-ins";

export interface LayerProbeContext {
  readonly adminUrl: string;
  readonly plan: DatabasePlan;
  readonly roleUrls: Readonly<Record<"migrator" | "runtime" | "analytics", string>>;
  readonly platformTables: readonly string[];
  readonly buckets: readonly string[];
  readonly tables: readonly StandInTable[];
}

/** Rows the platform-table probes look for: one per party where the table has an owner of the row. */
async function seedPlatformTables(ctx: LayerProbeContext): Promise<Record<string, number>> {
  const statements: string[] = [];
  const seeded: Record<string, number> = {};
  if (ctx.platformTables.includes("audit_logs")) {
    statements.push(
      `INSERT INTO public.audit_logs (actor, actor_role, table_schema, table_name, action)
       VALUES ('${USER.A}', 'authenticated', 'public', 'rehearsal', 'INSERT'),
              ('${USER.B}', 'authenticated', 'public', 'rehearsal', 'INSERT')`,
    );
    seeded["audit_logs"] = 2;
  }
  if (ctx.platformTables.includes("qa_reports")) {
    statements.push(
      `INSERT INTO public.qa_reports (reporter, subject) VALUES ('${USER.A}', 'report of A'), ('${USER.B}', 'report of B')`,
    );
    seeded["qa_reports"] = 2;
  }
  if (ctx.platformTables.includes("backup_metadata")) {
    statements.push("INSERT INTO public.backup_metadata (status, kind) VALUES ('succeeded', 'rehearsal')");
    seeded["backup_metadata"] = 1;
  }
  // As the superuser: it bypasses RLS, as a migration or the audit trigger would write them.
  await inTransaction(ctx.adminUrl, statements);
  return seeded;
}

export async function probePlatformTables(ctx: LayerProbeContext): Promise<ProbeResult[]> {
  const seeded = await seedPlatformTables(ctx);
  const results: ProbeResult[] = [];
  for (const [table, rows] of Object.entries(seeded)) {
    const subject = `table ${table}`;
    const count = `SELECT count(*)::int AS n FROM public.${table}`;
    const anon = await asIdentity(ctx.adminUrl, { role: "anon" }, (q) => q(count));
    const service = await asIdentity(ctx.adminUrl, { role: "service_role" }, (q) => q(count));
    results.push(verdict(subject, "anon reads no row", none(anon)));
    results.push(verdict(subject, "service role reads every row", exactly(service, rows)));
    if (table === "qa_reports") {
      const user = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, async (q) => ({
        own: await q(`${count} WHERE reporter = $1`, [USER.A]),
        all: await q(count),
        forge: await q("INSERT INTO public.qa_reports (reporter, subject) VALUES ($1, 'forged')", [USER.B]),
      }));
      results.push(
        verdict(
          subject,
          "user A reads its own reports only",
          first(exactly(user.own, 1), exactly(user.all, 1)),
        ),
      );
      results.push(verdict(subject, "user A cannot file a report as B", refused(user.forge)));
    } else {
      const user = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, (q) => q(count));
      results.push(verdict(subject, "an authenticated user reads no row", none(user)));
    }
  }
  return results;
}

export async function probeBuckets(ctx: LayerProbeContext): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const bucket of ctx.buckets) {
    const subject = `bucket ${bucket}`;
    await inTransaction(ctx.adminUrl, [
      `INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES ('${bucket}', 'rehearsal/a.json', '${USER.A}')`,
    ]);
    const count = "SELECT count(*)::int AS n FROM storage.objects WHERE bucket_id = $1";
    const upload =
      "INSERT INTO storage.objects (bucket_id, name, owner_id) VALUES ($1, 'rehearsal/b.json', $2)";
    const anon = await asIdentity(ctx.adminUrl, { role: "anon" }, async (q) => ({
      read: await q(count, [bucket]),
      upload: await q(upload, [bucket, USER.B]),
    }));
    const user = await asIdentity(ctx.adminUrl, { role: "authenticated", sub: USER.A }, async (q) => ({
      read: await q(count, [bucket]),
      upload: await q(upload, [bucket, USER.A]),
    }));
    const service = await asIdentity(ctx.adminUrl, { role: "service_role" }, async (q, admin) => ({
      read: await q(count, [bucket]),
      private: await admin("SELECT count(*)::int AS n FROM storage.buckets WHERE id = $1 AND NOT public", [
        bucket,
      ]),
    }));
    results.push(verdict(subject, "is private", exactly(service.private, 1)));
    results.push(
      verdict(subject, "anon reads no object and uploads none", first(none(anon.read), refused(anon.upload))),
    );
    results.push(
      verdict(
        subject,
        "an authenticated user reads no object and uploads none",
        first(none(user.read), refused(user.upload)),
      ),
    );
    results.push(verdict(subject, "service role reads its objects", exactly(service.read, 1)));
  }
  return results;
}

/** What each login role of the stack may do, connected as itself (no SET ROLE). */
export async function probeRoles(ctx: LayerProbeContext): Promise<ProbeResult[]> {
  const { runtime, analytics } = ctx.plan.roles;
  const results: ProbeResult[] = [];
  const ddl = "CREATE TABLE public.launchpad_rehearsal_probe (id integer)";
  const timeout = "SELECT setting::int AS n FROM pg_settings WHERE name = 'statement_timeout'";
  const rt = await asIdentity(ctx.roleUrls.runtime, {}, async (q) => ({
    ddl: await q(ddl),
    timeout: await q(timeout),
  }));
  results.push(verdict(`role ${runtime.name}`, "logs in and cannot run DDL", refused(rt.ddl)));
  results.push(
    verdict(
      `role ${runtime.name}`,
      `statement timeout is ${runtime.statementTimeout} ms`,
      exactly(rt.timeout, runtime.statementTimeout),
    ),
  );
  const target = ctx.tables.find((t) => t.subject);
  if (target && runtime.roles.includes("authenticated")) {
    // The backend acts for a user the PostgREST way; as itself it reaches no RLS row.
    const count = `SELECT count(*)::int AS n FROM public."${target.table}"`;
    const itself = await asIdentity(ctx.roleUrls.runtime, {}, (q) => q(count));
    const forA = await asIdentity(ctx.roleUrls.runtime, { role: "authenticated", sub: USER.A }, (q) =>
      q(count),
    );
    results.push(
      verdict(
        `role ${runtime.name}`,
        `reads no ${target.table} row as itself, only A's when acting for A`,
        first(none(itself), exactly(forA, 1)),
      ),
    );
  }
  const writable = ctx.tables[0]?.table ?? ctx.platformTables[0];
  if (writable) {
    const an = await asIdentity(ctx.roleUrls.analytics, {}, async (q) => ({
      ddl: await q(ddl),
      write: await q(`DELETE FROM public."${writable}"`),
    }));
    results.push(
      verdict(
        `role ${analytics.name}`,
        "logs in, cannot run DDL nor write",
        first(refused(an.ddl), refused(an.write)),
      ),
    );
  }
  return results;
}
