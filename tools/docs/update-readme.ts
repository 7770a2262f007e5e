import * as fs from "node:fs";
import * as path from "node:path";
import { withReference } from "./config-reference";

// Regenerates the config reference block of README.md from the schemas (`npm run docs`).
const readmePath = path.resolve(__dirname, "..", "..", "README.md");
fs.writeFileSync(readmePath, withReference(fs.readFileSync(readmePath, "utf8")));
process.stdout.write(
  `updated the config reference in ${path.relative(process.cwd(), readmePath) || "README.md"}\n`,
);
