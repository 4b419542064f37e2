/**
 * A random RFC 4122 version 4 id: the browser's `crypto.randomUUID()` (secure contexts), else one
 * made from `Math.random` (ids only need to be unique, not secret).
 */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = (Math.random() * 16) | 0;
      // The variant digit (y) is 8, 9, a or b.
      return (c == 'x' ? r : (r & 3) | 8).toString(16);
    });
  }
}
