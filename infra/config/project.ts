import * as path from "node:path";

// The project's names and places, apart from the config readers so that the CLI can find a project
// without loading the YAML parser.

export const PROJECT_NAME = "launchpad";
export const PROJECT_FILE = "Pulumi.yaml";
export const stackFile = (stack: string): string => `Pulumi.${stack}.yaml`;

/** The repository root: the folder that holds Pulumi.yaml, two levels above this file. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
