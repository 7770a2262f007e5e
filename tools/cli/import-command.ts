import * as path from "node:path";
import { adoptionOf, adoptionSummary } from "../adopt/adoption";
import { formatIdsProblem, readIdsFile } from "../adopt/ids-file";
import { buildImportFile, importFileJson } from "../adopt/import-file";
import { appOf, matchImports } from "../adopt/import-ids";
import { deliverReport, prepareReportFile } from "./report-file";
import { runStacks, type CliIO } from "./run-stacks";
import { parseCommandLine, STACKS, UsageError } from "./usage";

export const IMPORT_USAGE = `Usage: launchpad import --stack dev|qa|prod --ids FILE [--output FILE] [--targets] [--cwd DIR]

Writes the file \`pulumi import --file\` takes for the resources of a stack that already exist,
from a small YAML of their ids (docs/runbooks/adopt-existing.md shows one): each id in the format
its provider documents, each resource with its parent and explicit provider. Dynamic resources
(Fly.io, the Postgres layer) are left out: they take over what exists when they are created.

Options:
  --stack S       the stack to adopt into: dev, qa or prod
  --ids FILE      the YAML of known ids, per app
  --output FILE   write the import file to FILE instead of standard output
  --targets       print instead the \`--target\` options of a \`pulumi up\` that creates, first, the
                  components and providers the imported resources hang from (no cloud change)
  --cwd DIR       project folder (default: the nearest folder upwards holding Pulumi.yaml)
  -h, --help      show this help

Exit codes: 0 success; 2 invalid usage, ids file (unknown key, an id in the wrong format, an entry
the stack does not declare) or configuration; 1 evaluation failure.
`;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const line = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      ids: { type: "string" },
      output: { type: "string" },
      targets: { type: "boolean" },
    },
    IMPORT_USAGE,
    io.stdout,
  );
  if (!line) return 0;
  const { values, projectDir } = line;
  const stack = values.stack;
  if (stack === undefined || !(STACKS as readonly string[]).includes(stack)) {
    throw new UsageError(
      `--stack: expected one of ${STACKS.join(", ")}, got ${stack === undefined ? "nothing" : `"${stack}"`}`,
      IMPORT_USAGE,
    );
  }
  if (values.ids === undefined) throw new UsageError("--ids: expected the ids file", IMPORT_USAGE);
  const output = values.output === undefined ? undefined : prepareReportFile(values.output, IMPORT_USAGE);

  const idsName = values.ids;
  const read = readIdsFile(path.resolve(idsName));
  if (!read.ok) return problems(io, idsName, read.problems);

  const result = await runStacks([stack], { projectDir }, io);
  if (!result.ok) return result.exitCode;
  const evaluation = result.evaluations[0]!;

  const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
  const apps = new Set(
    evaluation.resources.filter((r) => r.type === "launchpad:index:App").map((r) => r.name),
  );
  const unknownApps = Object.keys(read.ids.apps).filter((a) => !apps.has(a));
  if (unknownApps.length > 0) {
    return problems(
      io,
      idsName,
      unknownApps.map((a) => ({
        path: ["apps", a],
        message: `stack ${stack} deploys no app "${a}" (its apps: ${[...apps].join(", ")})`,
      })),
    );
  }
  const { matches, unmatched } = matchImports(evaluation.resources, read.ids);
  if (unmatched.length > 0) {
    return problems(
      io,
      idsName,
      unmatched.map((p) => ({
        path: p,
        message: `stack ${stack} declares no resource this entry could adopt`,
      })),
    );
  }

  const plan = buildImportFile(evaluation, matches, projectDir);
  const text = values.targets
    ? plan.targets.map((u) => `--target=${u}\n`).join("")
    : importFileJson(plan.file);
  if (!deliverReport(io, "import", output, text)) return 2;

  const adoptions = adoptionOf(evaluation, matches);
  io.stderr(`launchpad import: ${stack}: ${adoptionSummary(adoptions)}\n`);
  for (const a of adoptions.filter((x) => x.takesOver !== undefined)) {
    const app = appOf(byUrn.get(a.urn)!, byUrn);
    io.stderr(`  ${app}: ${a.name} takes over ${a.detail} as it is created (not in the import file)\n`);
  }
  return 0;
}

function problems(io: CliIO, file: string, list: { path: (string | number)[]; message: string }[]): number {
  io.stderr(`launchpad import: invalid ids file (${list.length} problem${list.length === 1 ? "" : "s"}):\n`);
  for (const p of list) io.stderr(`  ${formatIdsProblem(file, p)}\n`);
  return 2;
}
