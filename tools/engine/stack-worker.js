// Worker-thread entry: plain JavaScript, because the SDK modules it defers must be set aside, and
// the loaders (packages through V8's code cache, TypeScript compiled) registered, before anything loads.
require("./deferred-modules").deferUnusedSdkModules();
require("../loader").registerLoaders();
require("./stack-worker.ts");
