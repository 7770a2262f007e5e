// Worker-thread entry: plain JavaScript, because the SDK modules it defers must be set aside before
// anything loads the SDK, and the TypeScript loader registered before any TypeScript loads.
require("./deferred-modules").deferUnusedSdkModules();
require("../typescript-loader").registerTypeScript();
require("./stack-worker.ts");
