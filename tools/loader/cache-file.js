// Both loaders keep what they compiled as one file per module under node_modules/.cache/launchpad.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

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

module.exports = { writeCacheFile };
