import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, tableRlsProvider } from "../../../infra/providers/postgres";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../tools/rehearse/embedded-postgres";
import { admin } from "./helpers";

let server: ThrowawayPostgres;

beforeAll(async () => {
  server = await startThrowawayPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe("review scripts", () => {
  it("run as printed on a fresh server, and the providers then find RLS forced", async () => {
    const script = [
      ...sql.supabaseCompatReview(true),
      "CREATE TABLE public.notes (id serial PRIMARY KEY, owner_id uuid NOT NULL)",
      ...sql.tableRlsReview("notes", { model: "owner", column: "owner_id" }),
      ...sql.storageBucketReview({
        id: "backups",
        fileSizeLimit: 1024,
        allowedMimeTypes: ["application/gzip"],
        access: [{ roles: ["authenticated"], commands: ["select"], ownObjectsOnly: true }],
      }),
      ...sql.platformTablesReview({ auditedTables: ["notes"] }, "postgres"),
    ];
    for (const statement of script) await admin(server.url, statement);

    expect(
      await admin(server.url, "SELECT id, public, file_size_limit::int AS l FROM storage.buckets"),
    ).toEqual([{ id: "backups", public: false, l: 1024 }]);
    const read = await tableRlsProvider.read!("public.notes", {
      databaseUrl: server.url,
      table: "notes",
      rls: { model: "owner", column: "owner_id" },
      observed: { rlsEnabled: false, rlsForced: false, policies: {} },
    });
    expect(read.props!.observed).toMatchObject({ rlsEnabled: true, rlsForced: true });
    expect(Object.keys(read.props!.observed.policies)).toHaveLength(4);
    expect(
      await admin(server.url, "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'launchpad_audit'"),
    ).toEqual([{ n: 1 }]);
  });

  it("prints a cron job as the cron.schedule call it amounts to", () => {
    expect(
      sql.cronJobReview({ jobName: "daily-backup", schedule: "0 2 * * *", command: "select 1" }),
    ).toEqual(["SELECT cron.schedule('daily-backup', '0 2 * * *', 'select 1')"]);
  });
});
