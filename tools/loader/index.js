// How the CLI and its evaluation threads load code: the packages' modules with V8's code cache,
// the project's TypeScript compiled as it loads. Plain JavaScript, registered before anything else
// loads. Both caches live in node_modules/.cache/launchpad, so `npm ci` starts them afresh
// (LAUNCHPAD_CACHE_DIR moves them).
const { useCodeCacheForPackages } = require("./code-cache");
const { registerTypeScript } = require("./typescript");

/** Prepares this thread's module loading (idempotent). */
function registerLoaders() {
  useCodeCacheForPackages();
  registerTypeScript();
}

module.exports = { registerLoaders };
