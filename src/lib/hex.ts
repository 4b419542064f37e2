/** Two lower-case hex digits per byte value. */
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));

/** The hex digits of byte `b` (0–255). */
export const hexByte = (b: number): string => HEX[b] as string;

/** Lower-case hex of bytes. (A loop: Prototype.js 1.6's `Array.from` ignores a map function.) */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += hexByte(b);
  return s;
}
