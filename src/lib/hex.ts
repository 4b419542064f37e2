/**
 * Two lower-case hex digits per byte value: `HEX[b]` for a byte `b` (0–255). (A loop: this runs as
 * tracker.js loads, outside its try, where a page's broken Array iterator must not throw.)
 */
export const HEX: string[] = [];
for (let i = 256; i < 512; i++) HEX.push(i.toString(16).slice(1));

/** Lower-case hex of bytes. (A loop: Prototype.js 1.6's `Array.from` ignores a map function.) */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}
