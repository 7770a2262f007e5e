import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR, PROJECT_FILE } from "../../infra/config/project";

/**
 * The project to work on: `--cwd` if given, else the nearest folder upwards holding Pulumi.yaml
 * (as the Pulumi CLI finds it), else this package's own project.
 */
export function findProjectDir(cwd: string | undefined): string {
  if (cwd !== undefined) {
    const dir = path.resolve(cwd);
    if (!fs.existsSync(path.join(dir, PROJECT_FILE))) throw new Error(`--cwd: no ${PROJECT_FILE} in ${dir}`);
    return dir;
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, PROJECT_FILE))) return dir;
    if (path.dirname(dir) === dir) return PROJECT_DIR;
  }
}
