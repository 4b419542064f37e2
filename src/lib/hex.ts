/** Two lower-case hex digits per byte value: `HEX[b]` for a byte `b` (0–255). */
export const HEX = [...Array(256)].map((_, b) => (b + 256).toString(16).slice(1));

/** Lower-case hex of bytes. (A loop: Prototype.js 1.6's `Array.from` ignores a map function.) */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}
