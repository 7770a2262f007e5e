// Worker-thread entry. The SDKs and libraries a stack's evaluation loads are plain JavaScript:
// loaded before the TypeScript hook, they are spared its per-module cost (a second or so per thread).
require("./deferred-modules").deferUnusedSdkModules();
for (const library of ["@pulumi/pulumi", "@pulumi/policy", "zod", "yaml"]) require(library);
require("tsx/cjs");
require("./stack-worker.ts");
