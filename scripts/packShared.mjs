// What scripts/packOrder.mjs and scripts/packNames.mjs share: the measure (gzip -9 bytes), the
// parser, a seeded generator, and the cache of what a search found for an input.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as acorn from 'acorn';

export const gz = (code) => gzipSync(code, { level: 9 }).length;
export const parse = (code) => acorn.parse(code, { ecmaVersion: 2022, sourceType: 'script', ranges: true });

/** Mulberry32: a small seeded generator, so that a build is reproducible. */
export const random = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Where the builds keep what a search found (ignored by git, gone with node_modules). */
export const CACHE = fileURLToPath(new URL('../node_modules/.cache/twilight-tracker', import.meta.url));

/**
 * The cache entry of a search for `input` (everything its result depends on) in `dir`, or none:
 * `read()` gives what was kept (undefined when nothing, or a file not ours), `write(v)` keeps it
 * (written whole, then renamed: a build reading at the same time finds all of it or nothing).
 */
export function cached(dir, kind, input) {
  const key = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32);
  const file = dir && `${dir}/${kind}-${key}.json`;
  return {
    read() {
      try {
        return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      } catch {
        return undefined;
      }
    },
    write(value) {
      if (!file) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${file}.${process.pid}`, JSON.stringify(value));
      renameSync(`${file}.${process.pid}`, file);
    },
  };
}
