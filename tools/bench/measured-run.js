// Runs one launchpad command in this process and reports, on stderr as a last JSON line, its wall
// time and the process's peak resident memory (worker threads included: they share the process).
require("tsx/cjs");
const { main } = require("../cli/main.ts");

const started = process.hrtime.bigint();
const io = { stdout: () => {}, stderr: (text) => process.stderr.write(text), progress: false };
let captured = "";
io.stdout = (text) => {
  captured += text;
};
main(process.argv.slice(2), io).then((code) => {
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stdout.write(captured, () => {
    process.stderr.write(`\n${JSON.stringify({ code, wallMs, cpuMs, maxRssMb })}\n`, () =>
      process.exit(code),
    );
  });
});
