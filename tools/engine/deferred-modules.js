// The Pulumi SDK loads, when it starts, much that a program run under the offline engine never
// calls: the code that serializes a dynamic provider's closure (with the TypeScript compiler and
// npm's Arborist, two thirds of the SDK's start-up), the Automation API and the provider server.
// Offline, providers are serialized only when asked (`plan --serialize-providers`), so a worker
// defers all of it until first use. Plain JavaScript: it must run before anything loads the SDK.
const Module = require("node:module");
const path = require("node:path");

/**
 * What a worker defers: packages as the SDK resolves them, or the SDK's own files. `functions`
 * names the exports the SDK copies by value when it loads (runtime/index.js re-exports the closure
 * serializer's): the stand-in hands out functions that load the module when called.
 */
const DEFERRED = [
  { request: "typescript" },
  { request: "@npmcli/arborist" },
  {
    request: "./runtime/closure/serializeClosure",
    functions: ["serializeFunction", "serializeFunctionAsync"],
  },
  { request: "./runtime/closure/codePaths", functions: ["computeCodePaths"] },
  { request: "./automation" },
  { request: "./provider" },
];

/**
 * Puts a stand-in for `file` in the module cache; the real module loads when touched. A member set
 * on the stand-in (the engine replaces the closure serializer this way) is set on the real module
 * when it loads; the forwarders call the module's own functions.
 */
function defer(file, functions = []) {
  const assigned = new Map();
  let real;
  let own;
  const load = () => {
    if (real === undefined) {
      delete require.cache[file];
      real = require(file);
      own = Object.fromEntries(functions.map((name) => [name, real[name]]));
      for (const [key, value] of assigned) real[key] = value;
    }
    return real;
  };
  const forwarders = Object.fromEntries(
    functions.map((name) => [name, (...args) => (load(), own[name](...args))]),
  );
  const standIn = new Proxy(
    {},
    {
      get: (_, key) => {
        // Answered without loading: TypeScript's interop helpers ask before reading any member.
        if (key === "__esModule") return true;
        if (assigned.has(key)) return assigned.get(key);
        return forwarders[key] ?? load()[key];
      },
      set: (_, key, value) => {
        assigned.set(key, value);
        if (real !== undefined) real[key] = value;
        return true;
      },
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Object.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  const entry = new Module(file);
  entry.filename = file;
  entry.loaded = true;
  entry.exports = standIn;
  require.cache[file] = entry;
}

/** Defers the SDK's modules an offline evaluation does not use; call before the SDK loads. */
function deferUnusedSdkModules() {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi"));
  for (const { request, functions } of DEFERRED) {
    defer(require.resolve(request, { paths: [sdkDir] }), functions);
  }
}

module.exports = { deferUnusedSdkModules };
