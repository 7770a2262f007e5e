// Worker-thread entry: TypeScript is compiled on the fly, then one stack is evaluated.
require("tsx/cjs");
require("./stack-worker.ts");
