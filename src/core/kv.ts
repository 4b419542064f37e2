/** A string key/value store that never throws (localStorage with a memory fallback, or a test double). */
export interface KV {
  get(key: string): string | null;
  /** False when the value could not be stored (quota, disabled storage). */
  set(key: string, value: string): boolean;
  del(key: string): void;
  keys(): string[];
}

/** An in-memory KV (also the fallback when storage is missing or throws). */
export function memoryKV(): KV {
  const m = new Map<string, string>();
  return {
    get: (k) => (m.has(k) ? (m.get(k) as string) : null),
    set: (k, v) => (m.set(k, v), true),
    del: (k) => void m.delete(k),
    keys: () => Array.from(m.keys()),
  };
}

/** `kv` made safe: a get that throws reads null, a set that throws is false (a full quota), del/keys never throw. */
export function safeKV(kv: KV): KV {
  const t = <R>(f: () => R, d: R): R => {
    try {
      return f();
    } catch {
      return d;
    }
  };
  return {
    get: (k) => t(() => kv.get(k), null),
    set: (k, v) => t(() => kv.set(k, v), false),
    del: (k) => t(() => kv.del(k), undefined),
    keys: () => t(() => kv.keys(), []),
  };
}
