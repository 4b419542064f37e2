import { hexByte } from '../lib/hex';

/** Random bytes taken 16 at a time; refilled from `crypto.getRandomValues` (one call per 256 ids). */
let pool = new Uint8Array(0);
let at = 0;
/** Web Crypto is missing or failed once: not tried again. */
let noCrypto = false;

/** A random byte: from the pool, else (no Web Crypto) `Math.random`. */
function byte(): number {
  if (at >= pool.length) {
    at = 0;
    pool = new Uint8Array(0);
    try {
      if (!noCrypto) pool = crypto.getRandomValues(new Uint8Array(4096));
    } catch {
      noCrypto = true;
    }
    if (!pool.length) return (Math.random() * 256) | 0;
  }
  return pool[at++] as number;
}

/** A random RFC 4122 version 4 id, built from pooled CSPRNG bytes (a per-event native call is slower). */
export function uuid(): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    const b = i == 6 ? (byte() & 15) | 64 : i == 8 ? (byte() & 63) | 128 : byte();
    s += (i == 4 || i == 6 || i == 8 || i == 10 ? '-' : '') + hexByte(b);
  }
  return s;
}
