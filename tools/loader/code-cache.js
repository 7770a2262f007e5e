// V8 compiles every module a thread loads. An evaluation thread loads ~420 modules of the SDKs and
// libraries (5 MB): compiling them took ~100 ms per thread, on every run, for code that only
// changes with `npm install`. This keeps what V8 compiled of each package module on disk, keyed by
// the module's content, and hands it back to V8 on the next run. Only modules under node_modules:
// the project's own modules keep Node's compiler, which maps their stack traces to the TypeScript.
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const { cacheDir: cacheDirOf, writeCacheFile } = require("./cache-file");

const DEFAULT_CACHE_DIR = cacheDirOf("v8");
const PACKAGES = `${path.sep}node_modules${path.sep}`;

/**
 * Where a module's compiled code is kept: its content, its path, this Node and its flags decide
 * it. V8 refuses code compiled under other flags (some GC settings among them): without them in
 * the key, runs with and without such a flag would each discard the other's code.
 */
function codeCacheFile(cacheDir, filename, content) {
  const flags = `${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`;
  const key = crypto
    .createHash("sha256")
    .update(`${process.version}\0${flags}\0${filename}\0`)
    .update(content)
    .digest("hex");
  return path.join(cacheDir, `${key}.bin`);
}

/**
 * Compiles a CommonJS module's wrapper function, with V8's cached code for it when there is some.
 * `cache` says what happened: "hit" (cached code used), "miss" (none yet), "rejected" (V8 refused
 * it: another V8 or other flags). After a miss or a rejection, `store()` writes the code V8 has
 * compiled by then, so call it once the module has run (its top-level functions are compiled).
 */
function compileWithCodeCache(filename, content, cacheDir = DEFAULT_CACHE_DIR) {
  const file = codeCacheFile(cacheDir, filename, content);
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    // First load of this content.
  }
  // A shebang is valid only at the very start of a script; the wrapper would put it after `(`.
  const body = content.startsWith("#!") ? `//${content.slice(2)}` : content;
  const script = new vm.Script(Module.wrap(body), {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache = cachedData === undefined ? "miss" : script.cachedDataRejected ? "rejected" : "hit";
  const store = () => {
    if (cache !== "hit") writeCacheFile(file, script.createCachedData());
  };
  return { wrapper: script.runInThisContext({ displayErrors: true }), cache, store };
}

/** The `require` a module's code receives, as Node builds it. */
function requireFor(module) {
  const require = (request) => module.require(request);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Compiles this thread's package modules with the code cache (once per thread). */
function useCodeCacheForPackages(cacheDir = DEFAULT_CACHE_DIR) {
  const compile = Module.prototype._compile;
  if (compile.usesCodeCache) return;
  const compileWithCache = function (content, filename, format) {
    if (!filename.includes(PACKAGES) || format === "module") {
      return compile.call(this, content, filename, format);
    }
    const { wrapper, store } = compileWithCodeCache(filename, content, cacheDir);
    const dirname = path.dirname(filename);
    const result = wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname);
    store();
    return result;
  };
  compileWithCache.usesCodeCache = true;
  Module.prototype._compile = compileWithCache;
}

module.exports = { useCodeCacheForPackages, compileWithCodeCache, codeCacheFile };
