import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { PROJECT_DIR } from "../../infra/config/pulumi-files";

/**
 * A project folder whose catalog holds `count` apps: copies of the five seed apps, renamed
 * `<seed>-<n>`, with each stack's overrides copied along. Exemptions are not copied.
 */
export function generateProject(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `launchpad-bench-${count}-`));
  const project = parseDocument(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
  const seeds = project.getIn(["config", "launchpad:apps", "value"]) as { toJSON(): Record<string, unknown> };
  const seedApps = Object.entries(seeds.toJSON());
  const apps: Record<string, unknown> = {};
  const renamed: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const [seed, spec] = seedApps[i % seedApps.length]!;
    const name = i < seedApps.length ? seed : `${seed.slice(0, 12)}-${i}`;
    apps[name] = structuredClone(spec);
    renamed.push([seed, name]);
  }
  project.setIn(["config", "launchpad:apps", "value"], apps);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.toString());
  for (const stack of ["dev", "qa", "prod"]) {
    const file = `Pulumi.${stack}.yaml`;
    const doc = parseDocument(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"));
    const overrides =
      (
        doc.getIn(["config", "launchpad:overrides"]) as { toJSON(): Record<string, unknown> } | undefined
      )?.toJSON() ?? {};
    const copied: Record<string, unknown> = {};
    for (const [seed, name] of renamed) if (overrides[seed]) copied[name] = structuredClone(overrides[seed]);
    doc.setIn(["config", "launchpad:overrides"], copied);
    fs.writeFileSync(path.join(dir, file), doc.toString());
  }
  return dir;
}
