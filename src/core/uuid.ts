/** A random RFC 4122 v4 id (`crypto.randomUUID`, else `getRandomValues`, else `Math.random`). */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    // randomUUID needs a secure context; build the same format by hand.
    return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (+c ^ (rnd() & (15 >> (+c / 4)))).toString(16),
    );
  }
}

/** A random byte (a fraction when only Math.random is there; `&` above truncates it). */
const rnd = (): number => {
  try {
    return crypto.getRandomValues(new Uint8Array(1))[0] as number;
  } catch {
    return Math.random() * 256;
  }
};
