// The Pulumi SDK loads the TypeScript compiler and npm's Arborist when it starts, for one purpose:
// serializing a dynamic provider's code. Offline, providers are serialized only when asked
// (`plan --serialize-providers`), so a worker defers both until their first use. Together they are
// two thirds of the SDK's start-up. Plain JavaScript: it must run before the SDK and the TS hook load.
const Module = require("node:module");
const path = require("node:path");

const DEFERRED = ["typescript", "@npmcli/arborist"];

/** Puts a stand-in for `request`, as the SDK resolves it, in the module cache; the real module loads when touched. */
function defer(request, fromDir) {
  const file = require.resolve(request, { paths: [fromDir] });
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  const standIn = new Proxy(
    {},
    {
      // Answered without loading: TypeScript's interop helpers ask before reading any member.
      get: (_, key) => (key === "__esModule" ? true : load()[key]),
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

/** Defers the SDK's serialization-only dependencies; call before the SDK loads. */
function deferSerializationModules() {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi"));
  for (const request of DEFERRED) defer(request, sdkDir);
}

module.exports = { deferSerializationModules };
