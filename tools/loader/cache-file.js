// Both loaders keep what they compiled as one file per module, by default under
// node_modules/.cache/launchpad (so `npm ci` starts it afresh); LAUNCHPAD_CACHE_DIR puts it
// elsewhere (a read-only install, a CI cache, a benchmark of the first run).
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const DEFAULT_ROOT = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "launchpad");

/** The folder one loader keeps its entries in ("typescript", "v8"), under the cache's root. */
function cacheDir(kind, env = process.env) {
  const chosen = env.LAUNCHPAD_CACHE_DIR;
  return path.join(chosen ? path.resolve(chosen) : DEFAULT_ROOT, kind);
}

/**
 * Writes one cache entry. Written aside then renamed: a thread reading it never sees half a file,
 * even while another writes the same entry. A cache that cannot be written (read-only install,
 * full disk) is skipped: the next run compiles again.
 */
function writeCacheFile(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
  } catch {
    // Uncached: only costs time.
  }
}

module.exports = { cacheDir, writeCacheFile };
