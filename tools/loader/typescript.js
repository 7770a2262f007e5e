// Lets `require()` load the project's TypeScript: each .ts file is compiled by esbuild (types
// stripped, CommonJS out, an inline source map so stack traces point at the .ts lines) and the
// result kept on disk, keyed by the source's content, so a later run only reads it back.
// The CLI and its evaluation threads load ~150 modules each; a general-purpose hook that also
// resolves and inspects every JavaScript module cost them ~120 ms per thread. Plain JavaScript:
// it must load before any TypeScript does.
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { cacheDir, writeCacheFile } = require("./cache-file");

const ROOT = path.resolve(__dirname, "..", "..");
/** Compiled modules, by content. */
const DEFAULT_CACHE_DIR = cacheDir("typescript");

/**
 * esbuild's options, with the compiler options from tsconfig.json that change its output
 * (target, class fields, strict mode): the code that runs is the code `tsc` checks.
 */
function transformOptions(tsconfigFile = path.join(ROOT, "tsconfig.json")) {
  let compilerOptions;
  try {
    compilerOptions = JSON.parse(fs.readFileSync(tsconfigFile, "utf8")).compilerOptions ?? {};
  } catch (error) {
    throw new Error(`${tsconfigFile}: cannot read its compilerOptions (${error.message})`);
  }
  return {
    loader: "ts",
    format: "cjs",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcemap: "inline",
    tsconfigRaw: { compilerOptions },
  };
}

/** What a compiled module is keyed by: anything that changes the output changes the key. */
function cacheKey(filename, source, options, compilerVersion) {
  return crypto
    .createHash("sha256")
    .update(JSON.stringify([compilerVersion, options, filename]))
    .update("\0")
    .update(source)
    .digest("hex");
}

/**
 * The JavaScript for one TypeScript source: read back from `cacheDir` when this exact source was
 * compiled before, else compiled and stored. A cache that cannot be written only costs time.
 */
function compileTypeScript(filename, source, { cacheDir = DEFAULT_CACHE_DIR, options } = {}) {
  const settings = options ?? transformOptions();
  const version = require("esbuild/package.json").version;
  const stored = path.join(cacheDir, `${cacheKey(filename, source, settings, version)}.js`);
  try {
    return fs.readFileSync(stored, "utf8");
  } catch {
    // Not compiled yet.
  }
  let code;
  try {
    ({ code } = require("esbuild").transformSync(source, { ...settings, sourcefile: filename }));
  } catch (error) {
    const where = error.errors?.[0]?.location;
    const at = where ? `${filename}:${where.line}:${where.column + 1}` : filename;
    const what = error.errors?.[0]?.text ?? error.message;
    throw new SyntaxError(`${at}: ${what}`);
  }
  writeCacheFile(stored, code);
  return code;
}

/** Registers the .ts loader for this thread (once); later `require()`s of .ts files go through it. */
function registerTypeScript() {
  if (Module._extensions[".ts"]) return;
  const options = transformOptions();
  Module._extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    module._compile(compileTypeScript(filename, source, { options }), filename);
  };
  process.setSourceMapsEnabled(true);
}

module.exports = { registerTypeScript, compileTypeScript, transformOptions, cacheKey };
