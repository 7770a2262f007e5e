/**
 * Rehearsal of the dev stack's database layer, every seed app, on a throwaway embedded Postgres
 * whose start-up is counted, the attack suite and the linter checks included; and the change
 * statements an unchanged re-apply issues (must be 0).
 * Run: npx tsx tools/bench/rehearse.ts [--stack dev|qa|prod]
 *
 * Figures are printed, not asserted; the exit code is 1 only if a probe failed (an attack that
 * succeeded included) or the re-apply issued a change statement.
 */
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../../infra/config";
import { stackDatabases } from "../cli/database-plans";
import { startThrowawayPostgres } from "../rehearse/embedded-postgres";
import { rehearseStack } from "../rehearse/rehearse";
import { attackTally, tally } from "../rehearse/report";

const TARGET_SECONDS = 10;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { stack: { type: "string", default: "dev" } } });
  const stack = values.stack!;
  const { apps } = stackDatabases(stack, undefined, PROJECT_DIR, "");

  const started = performance.now();
  const server = await startThrowawayPostgres();
  const startSeconds = (performance.now() - started) / 1000;
  let report;
  try {
    report = await rehearseStack({ stack, databaseUrl: server.url, apps });
  } finally {
    await server.stop();
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const counts = tally(report);
  const attacks = attackTally(report);

  const rows = report.apps.map((app) => {
    const passed = app.probes.filter((p) => p.outcome === "passed").length;
    const tried = app.probes.filter((p) => p.attack).length;
    return (
      `  ${app.app.padEnd(22)} ${app.seconds.toFixed(2).padStart(6)} s  ${String(passed).padStart(3)} probes passed, ` +
      `${String(tried).padStart(3)} attacks tried`
    );
  });
  console.log(`Rehearsal of ${stack}: ${apps.length} apps on a throwaway embedded Postgres`);
  console.log(`  Postgres start          ${startSeconds.toFixed(2).padStart(6)} s`);
  console.log(rows.join("\n"));
  console.log(
    `  total, start included   ${totalSeconds.toFixed(2).padStart(6)} s  ` +
      `(target ≤ ${TARGET_SECONDS} s: ${totalSeconds <= TARGET_SECONDS ? "met" : "missed"})`,
  );
  console.log(
    `  probes: ${counts.passed} passed, ${counts.failed} failed, ${counts["not rehearsed"]} not rehearsed`,
  );
  console.log(`  attacks: ${attacks.tried} tried, ${attacks.held} held`);
  console.log(`Change statements issued by an unchanged re-apply (all apps): ${report.reapplyStatements}`);
  return counts.failed > 0 || report.reapplyStatements > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
