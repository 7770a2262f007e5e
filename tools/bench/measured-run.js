// Runs one launchpad command as bin/launchpad.js does and reports, on stderr as a last JSON line,
// its exit code, the CPU time of all its threads and the process's peak resident memory (worker
// threads included: they share the process). The caller times the process from the outside.
require("../loader").registerLoaders();
const { main } = require("../cli/main.ts");
const { PLAIN } = require("../cli/terminal.ts");

let captured = "";
const io = {
  stdout: (text) => {
    captured += text;
  },
  stderr: (text) => process.stderr.write(text),
  progress: false,
  style: PLAIN,
};
main(process.argv.slice(2), io).then((code) => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  const maxRssMb = usage.maxRSS / 1024;
  process.stdout.write(captured, () => {
    process.stderr.write(`\n${JSON.stringify({ code, cpuMs, maxRssMb })}\n`, () => process.exit(code));
  });
});
