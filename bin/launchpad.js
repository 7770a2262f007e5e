#!/usr/bin/env node
// The launchpad CLI. Its TypeScript sources are compiled as they load (and cached), so no build
// step stands between a checkout and the offline commands.
require("../tools/loader").registerLoaders();
const { main } = require("../tools/cli/main.ts");
const { styleFor } = require("../tools/cli/terminal.ts");

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progress: Boolean(process.stderr.isTTY),
  style: styleFor({
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns,
    env: process.env,
  }),
};

main(process.argv.slice(2), io).then(
  (code) => process.stdout.write("", () => process.exit(code)),
  (error) => {
    process.stderr.write(`launchpad: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
