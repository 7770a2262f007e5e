/**
 * The restore drill in `launchpad rehearse`: every app with a backup declaration gets its probes
 * (backed up and recorded, restored with matching counts and checksums, overwrite refused, corrupted
 * object refused), and a drill that cannot back up reports a failed probe instead of passing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drillBackup } from "../../tools/backup/drill";
import { createBackupTables } from "../../tools/backup/drill-tables";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../tools/rehearse/embedded-postgres";
import { rehearseStack } from "../../tools/rehearse/rehearse";
import { appLayer } from "../rehearse/support";
import { backedUpApps, createDatabase, sql } from "./support";

const DRILL_PROBES = [
  "backed up to Storage and recorded",
  "restored into a scratch database: row counts and checksums match the backup",
  "a restore over non-empty tables is refused without --force",
  "a corrupted object is refused, nothing written",
];

let server: ThrowawayPostgres;
beforeAll(async () => {
  server = await startThrowawayPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe.each(backedUpApps().map((a) => [a.name, a] as const))("rehearse %s", (name, app) => {
  it("runs the drill after the layer's probes, and every drill probe passes", async () => {
    const report = await rehearseStack({
      stack: "dev",
      databaseUrl: server.url,
      apps: [appLayer("dev", name)],
    });
    const probes = report.apps[0]!.probes.filter(
      (p) => p.subject === `backup ${app.spec.backup!.bucket}` && DRILL_PROBES.includes(p.probe),
    );
    expect(probes.map((p) => [p.probe, p.outcome])).toEqual(DRILL_PROBES.map((probe) => [probe, "passed"]));
    // The scratch databases are gone.
    const left = await sql(
      server.url,
      "SELECT datname FROM pg_database WHERE datname LIKE 'launchpad_drill_%'",
    );
    expect(left).toEqual([]);
  });
});

it("reports a failed probe when the backup cannot be recorded", async () => {
  const app = backedUpApps()[0]!;
  const url = await createDatabase(server.url, "nometadata");
  await createBackupTables(url, app.spec);
  const probes = await drillBackup("dev", app.name, app.spec, url);
  expect(probes).toEqual([
    expect.objectContaining({
      outcome: "failed",
      probe: "backup and restore drill",
      detail: expect.stringMatching(/backup_metadata/),
    }),
  ]);
});
