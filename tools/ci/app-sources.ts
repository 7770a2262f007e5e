/**
 * The app repositories CI checks out next to the project before `pulumi preview`/`up`: those of the
 * apps with a service built from a Dockerfile in some stack (the Backend component builds them from
 * `../<repository.name>`). Read from the catalog through the config loader, so a new app's
 * repository is checked out without any other file changing.
 *
 *   npx tsx tools/ci/app-sources.ts [projectDir]
 *
 * prints `sources=<JSON list of {repository, path}>`, the form `$GITHUB_OUTPUT` takes. Invalid config
 * exits 2 with every problem, as the CLI does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, formatIssue } from "../../infra/config/errors";
import { PROJECT_DIR, readLayeredConfig } from "../../infra/config/pulumi-files";
import { validatePlatform } from "../../infra/config/load";
import { STACK_NAMES } from "../../infra/config/schema/environment";

export interface AppSource {
  /** `owner/name` on GitHub. */
  repository: string;
  /** Folder next to the project, where the Backend component looks for the Dockerfile. */
  path: string;
}

/** The stacks of the project: those of STACK_NAMES with a `Pulumi.<stack>.yaml`. */
function projectStacks(projectDir: string): string[] {
  return STACK_NAMES.filter((stack) => fs.existsSync(path.join(projectDir, `Pulumi.${stack}.yaml`)));
}

/** Repositories of the apps that build an image from a Dockerfile in any stack, sorted by folder. */
export function appSources(projectDir: string = PROJECT_DIR): AppSource[] {
  const sources = new Map<string, AppSource>();
  for (const stack of projectStacks(projectDir)) {
    const platform = validatePlatform(stack, readLayeredConfig(stack, projectDir));
    for (const app of Object.values(platform.apps)) {
      const builds = Object.values(app.services).some((s) => s.enabled && "dockerfile" in s.build);
      if (!builds) continue;
      const { owner, name } = app.repository;
      sources.set(name, { repository: `${owner}/${name}`, path: name });
    }
  }
  return [...sources.values()].sort((a, b) => a.path.localeCompare(b.path));
}

if (require.main === module) {
  try {
    const dir = path.resolve(process.argv[2] ?? process.cwd());
    process.stdout.write(`sources=${JSON.stringify(appSources(dir))}\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) process.stderr.write(`app-sources: ${formatIssue(issue)}\n`);
    process.exitCode = 2;
  }
}
