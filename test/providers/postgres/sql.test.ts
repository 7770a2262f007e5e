import { describe, expect, it } from "vitest";
import { sql } from "../../../infra/providers/postgres";

const notes = { schema: "public", table: "notes" };

describe("identifiers", () => {
  it("quotes valid names and rejects the rest with a message naming what was wrong", () => {
    expect(sql.quoteIdent("user_roles", "table")).toBe('"user_roles"');
    expect(sql.parseTableName("app.notes")).toEqual({ schema: "app", table: "notes" });
    expect(sql.parseTableName("notes")).toEqual(notes);
    expect(() => sql.quoteIdent('x"; drop', "table")).toThrow(
      `Invalid table "x\\"; drop": use letters, digits, '_' and '$', starting with a letter or '_'`,
    );
    expect(() => sql.parseTableName("a.b.c")).toThrow(/`table` or `schema.table`/);
    expect(() => sql.quoteIdent("x".repeat(64), "column")).toThrow(/longer than 63 bytes/);
    expect(() => sql.quoteRole("Public")).toThrow(/never granted TO PUBLIC/);
    expect(sql.quotePolicyName('Users can "read"')).toBe('"Users can ""read"""');
    expect(() => sql.quotePolicyName("a\nb")).toThrow(/control characters/);
    expect(sql.quoteLiteral("it's")).toBe("'it''s'");
  });

  it("accepts standalone expressions and refuses ones that could escape their parentheses", () => {
    expect(() => sql.assertExpression("a = 'x)' and (b or c)", "e")).not.toThrow();
    expect(() => sql.assertExpression("true) with check (true", "e")).toThrow(/unbalanced '\)'/);
    expect(() => sql.assertExpression("(true", "e")).toThrow(/unbalanced '\('/);
    expect(() => sql.assertExpression("true; drop table x", "e")).toThrow(/';' is not allowed/);
    expect(() => sql.assertExpression("true -- )", "e")).toThrow(/comments/);
    expect(() => sql.assertExpression("$$)$$", "e")).toThrow(/dollar-quoted/);
    expect(() => sql.assertExpression(" ", "e")).toThrow(/empty/);
  });
});

describe("RLS generators", () => {
  it("enables and forces RLS", () => {
    expect(sql.enableRlsSql(notes)).toBe('ALTER TABLE "public"."notes" ENABLE ROW LEVEL SECURITY');
    expect(sql.forceRlsSql(notes)).toBe('ALTER TABLE "public"."notes" FORCE ROW LEVEL SECURITY');
  });

  it("generates owner policies with the wrapped auth.uid(), UPDATE with USING and WITH CHECK", () => {
    const policies = sql.policiesForModel(notes, { model: "owner", column: "owner_id" });
    expect(policies.map(sql.createPolicySql)).toEqual([
      'CREATE POLICY "notes_owner_select" ON "public"."notes" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("owner_id" = (select auth.uid()))',
      'CREATE POLICY "notes_owner_insert" ON "public"."notes" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("owner_id" = (select auth.uid()))',
      'CREATE POLICY "notes_owner_update" ON "public"."notes" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("owner_id" = (select auth.uid())) WITH CHECK ("owner_id" = (select auth.uid()))',
      'CREATE POLICY "notes_owner_delete" ON "public"."notes" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("owner_id" = (select auth.uid()))',
    ]);
  });

  it("generates tenant policies through the membership table", () => {
    const [select] = sql.policiesForModel(
      { schema: "public", table: "custom_kpis" },
      {
        model: "tenant",
        column: "workspace_id",
        membershipTable: "user_roles",
        membershipUserColumn: "user_id",
        membershipTenantColumn: "workspace_id",
        roles: ["authenticated", "app_runtime"],
      },
    );
    expect(sql.createPolicySql(select)).toBe(
      'CREATE POLICY "custom_kpis_tenant_select" ON "public"."custom_kpis" AS PERMISSIVE FOR SELECT ' +
        'TO "authenticated", "app_runtime" USING ("workspace_id" in (select m."workspace_id" from ' +
        '"public"."user_roles" m where m."user_id" = (select auth.uid())))',
    );
    expect(() =>
      sql.policiesForModel(
        { schema: "public", table: "user_roles" },
        {
          model: "tenant",
          column: "workspace_id",
          membershipTable: "public.user_roles",
          membershipUserColumn: "user_id",
          membershipTenantColumn: "workspace_id",
        },
      ),
    ).toThrow(/cannot be its own membership table/);
  });

  it("validates explicit policies", () => {
    const model = (policy: object) => ({ model: "policies" as const, policies: [policy as never] });
    expect(() =>
      sql.policiesForModel(notes, model({ name: "p", command: "select", roles: [], using: "true" })),
    ).toThrow(/name the roles/);
    expect(() =>
      sql.policiesForModel(
        notes,
        model({ name: "p", command: "insert", roles: ["anon"], using: "true", withCheck: "true" }),
      ),
    ).toThrow(/INSERT policies take WITH CHECK only/);
    expect(() =>
      sql.policiesForModel(
        notes,
        model({ name: "p", command: "select", roles: ["anon"], using: "true", withCheck: "true" }),
      ),
    ).toThrow(/SELECT policies take USING only/);
    expect(() =>
      sql.policiesForModel(notes, model({ name: "p", command: "truncate", roles: ["anon"], using: "true" })),
    ).toThrow(/command must be one of/);
    expect(() =>
      sql.policiesForModel(notes, {
        model: "policies",
        policies: [
          { name: "p", command: "select", roles: ["anon"], using: "true" },
          { name: "p", command: "delete", roles: ["anon"], using: "true" },
        ],
      }),
    ).toThrow(/used twice/);
  });

  it("hashes the definition, not its formatting of roles, and stores it in the policy comment", () => {
    const base = { table: notes, name: "p", command: "select" as const, roles: ["a", "b"], using: "true" };
    const hash = sql.policyHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sql.policyHash({ ...base, roles: ["b", "a"] })).toBe(hash);
    expect(sql.policyHash({ ...base, using: "false" })).not.toBe(hash);
    expect(sql.policyHash({ ...base, command: "delete" })).not.toBe(hash);
    expect(sql.commentPolicySql(base, "f00d")).toBe(
      `COMMENT ON POLICY "p" ON "public"."notes" IS 'launchpad:sha256:${hash}:f00d'`,
    );
    expect(sql.parsePolicyComment(`launchpad:sha256:${hash}:f00d`)).toEqual({ hash, fingerprint: "f00d" });
    expect(sql.parsePolicyComment(`launchpad:sha256:${hash}`)).toEqual({ hash, fingerprint: undefined });
    expect(sql.parsePolicyComment("written by a human")).toBeUndefined();
  });

  it("lists a table's statements in apply order", () => {
    const statements = sql.tableRlsStatements(notes, { model: "owner", column: "owner_id" });
    expect(statements.slice(0, 2)).toEqual([sql.enableRlsSql(notes), sql.forceRlsSql(notes)]);
    expect(statements.filter((s) => s.startsWith("CREATE POLICY"))).toHaveLength(4);
    expect(statements.filter((s) => s.startsWith("COMMENT ON POLICY"))).toHaveLength(4);
  });
});

describe("auth shim", () => {
  it("creates the API roles idempotently, service_role bypassing RLS, and auth.uid() from the JWT claims", () => {
    const statements = sql.authShimStatements();
    expect(statements[0]).toContain(
      "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon')",
    );
    expect(statements[2]).toContain('CREATE ROLE "service_role" NOLOGIN NOINHERIT BYPASSRLS');
    expect(statements).toContain("CREATE SCHEMA IF NOT EXISTS auth");
    const uid = statements.find((s) => s.includes('auth."uid"()'))!;
    expect(uid).toMatch(/^CREATE OR REPLACE FUNCTION auth\."uid"\(\) RETURNS uuid LANGUAGE sql STABLE/);
    expect(uid).toContain("current_setting('request.jwt.claim.sub', true)");
    expect(uid).toContain("current_setting('request.jwt.claims', true)");
    expect(statements.at(-2)).toBe('GRANT USAGE ON SCHEMA auth TO "anon", "authenticated", "service_role"');
  });
});

describe("storage generators", () => {
  it("resolves a private bucket by default and validates limits and MIME types", () => {
    expect(sql.bucketRow({ id: "backups" })).toEqual({
      id: "backups",
      name: "backups",
      public: false,
      fileSizeLimit: null,
      allowedMimeTypes: null,
    });
    expect(() => sql.bucketRow({ id: "b", fileSizeLimit: -1 })).toThrow(/positive whole number/);
    expect(() => sql.bucketRow({ id: "b", allowedMimeTypes: ["not a type"] })).toThrow(/not a MIME type/);
    expect(() => sql.bucketRow({ id: "../etc" })).toThrow(/Invalid bucket id/);
    const upsert = sql.upsertBucketQuery(
      sql.bucketRow({ id: "b", fileSizeLimit: 10, allowedMimeTypes: ["image/*"] }),
    );
    expect(upsert.text).toMatch(/^INSERT INTO storage\.buckets .* ON CONFLICT \(id\) DO UPDATE/);
    expect(upsert.values).toEqual(["b", "b", false, 10, ["image/*"]]);
  });

  it("scopes object policies to the bucket, optionally to the caller's own objects", () => {
    const policies = sql.bucketPolicies({
      id: "avatars",
      access: [
        { roles: ["authenticated"], commands: ["select"] },
        { roles: ["authenticated"], commands: ["insert", "update"], ownObjectsOnly: true },
      ],
    });
    expect(policies.map((p) => p.name)).toEqual([
      "avatars:select:authenticated",
      "avatars:insert:authenticated:own",
      "avatars:update:authenticated:own",
    ]);
    expect(sql.createPolicySql(policies[2])).toBe(
      'CREATE POLICY "avatars:update:authenticated:own" ON "storage"."objects" AS PERMISSIVE FOR UPDATE ' +
        "TO \"authenticated\" USING (bucket_id = 'avatars' and owner_id = (select auth.uid())::text) " +
        "WITH CHECK (bucket_id = 'avatars' and owner_id = (select auth.uid())::text)",
    );
    expect(sql.bucketPolicies({ id: "backups" })).toEqual([]);
  });

  it("provides a storage shim shaped like Supabase's", () => {
    const shim = sql.storageShimStatements().join(";\n");
    expect(shim).toContain("CREATE TABLE IF NOT EXISTS storage.buckets (id text PRIMARY KEY");
    expect(shim).toContain("allowed_mime_types text[]");
    expect(shim).toContain("bucket_id text REFERENCES storage.buckets (id)");
    expect(shim).toContain("ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY");
  });
});

describe("pg_cron generators", () => {
  it("schedules under a stable name with values as parameters", () => {
    const job = { jobName: "purge-audit-logs", schedule: "0 3 * * 0", command: "select 1" };
    expect(sql.scheduleQuery(job)).toEqual({
      text: "SELECT cron.schedule($1, $2, $3) AS jobid",
      values: ["purge-audit-logs", "0 3 * * 0", "select 1"],
    });
    expect(sql.unscheduleQuery("purge-audit-logs")).toEqual({
      text: "SELECT cron.unschedule($1)",
      values: ["purge-audit-logs"],
    });
    expect(sql.scheduleStatement({ ...job, command: "select 'x'" })).toBe(
      "SELECT cron.schedule('purge-audit-logs', '0 3 * * 0', 'select ''x''')",
    );
  });

  it("builds the retention purge", () => {
    expect(sql.purgeCommand("audit_logs", "occurred_at", 90)).toBe(
      `DELETE FROM "public"."audit_logs" WHERE "occurred_at" < now() - interval '90 days'`,
    );
    expect(() => sql.purgeCommand("audit_logs", "occurred_at", 0)).toThrow(/positive whole number of days/);
    expect(() => sql.purgeCommand("audit_logs", "occurred_at; --", 90)).toThrow(/Invalid purge column/);
  });

  it("validates job names and schedules", () => {
    const valid = { jobName: "daily-backup", schedule: "0 2 * * *", command: "select 1" };
    expect(() => sql.validateCronJob(valid)).not.toThrow();
    expect(() => sql.validateCronJob({ ...valid, schedule: "30 seconds" })).not.toThrow();
    expect(() => sql.validateCronJob({ ...valid, schedule: "0 3 * * sun" })).not.toThrow();
    expect(() => sql.validateCronJob({ ...valid, schedule: "@daily" })).not.toThrow();
    expect(() => sql.validateCronJob({ ...valid, schedule: "every day" })).toThrow(
      /schedule "every day" is not a pg_cron schedule \(expected five fields/,
    );
    // The config loader's grammar: out-of-range fields and a zero interval fail here too.
    expect(() => sql.validateCronJob({ ...valid, schedule: "61 3 * * 0" })).toThrow(
      /minute field: 61 is out of range 0–59/,
    );
    expect(() => sql.validateCronJob({ ...valid, schedule: "0 seconds" })).toThrow(/every 1 to 59 seconds/);
    expect(() => sql.validateCronJob({ ...valid, schedule: 7 as unknown as string })).toThrow(
      /expected a string/,
    );
    expect(() => sql.validateCronJob({ ...valid, jobName: "bad name" })).toThrow(/cron job name/);
    expect(() => sql.validateCronJob({ ...valid, command: " " })).toThrow(/command is empty/);
    expect(sql.PG_CRON_MISSING).toMatch(/shared_preload_libraries.*CREATE EXTENSION pg_cron/);
    expect(sql.PG_CRON_MISSING).toContain("Dashboard → Database → Extensions");
  });
});

describe("platform table generators", () => {
  it("creates the three tables idempotently, and the audit function as SECURITY DEFINER with pg_temp last, executable by no one, for the declared tables only", () => {
    expect(sql.createPlatformTableSql("public", "audit_logs")).toMatch(
      /^CREATE TABLE IF NOT EXISTS "public"\."audit_logs" \(.*row_before jsonb, row_after jsonb\)$/,
    );
    expect(sql.createPlatformTableSql("public", "backup_metadata")).toContain("size_bytes bigint");
    expect(sql.createPlatformTableSql("public", "qa_reports")).toContain("reporter uuid DEFAULT auth.uid()");
    const [fn, revoke] = sql.createAuditFunctionStatements("public", [notes]);
    expect(fn).toContain("SECURITY DEFINER SET search_path = pg_catalog, pg_temp");
    expect(fn).toContain('INSERT INTO "public"."audit_logs"');
    expect(fn).toContain("ANY (ARRAY['public.notes']::pg_catalog.text[])");
    expect(fn).not.toMatch(/[^.]\bjsonb\b(?!\s*->)/);
    expect(revoke).toBe('REVOKE ALL ON FUNCTION "public"."launchpad_audit"() FROM PUBLIC');
    expect(sql.createAuditTriggerSql("public", notes)).toBe(
      'CREATE TRIGGER "launchpad_audit" AFTER INSERT OR UPDATE OR DELETE ON "public"."notes" ' +
        'FOR EACH ROW EXECUTE FUNCTION "public"."launchpad_audit"()',
    );
  });

  it("gives the owner role full access and authenticated users their own QA reports", () => {
    expect(sql.platformPolicies("public", "audit_logs", "migrator").map((p) => [p.name, p.roles])).toEqual([
      ["audit_logs_owner_all", ["migrator"]],
    ]);
    expect(sql.platformPolicies("public", "qa_reports", "migrator").map((p) => p.name)).toEqual([
      "qa_reports_owner_all",
      "qa_reports_reporter_select",
      "qa_reports_reporter_insert",
    ]);
  });
});
