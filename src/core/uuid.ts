/** A random RFC 4122 v4 id; uses `crypto.randomUUID`/`getRandomValues` when present. */
export function uuid(): string {
  const c = typeof crypto !== 'undefined' ? crypto : undefined;
  try {
    if (c && c.randomUUID) return c.randomUUID();
  } catch {
    /* insecure context */
  }
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
  b[6] = ((b[6] as number) & 15) | 64;
  b[8] = ((b[8] as number) & 63) | 128;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += ((b[i] as number) + 256).toString(16).slice(1);
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
