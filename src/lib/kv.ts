/** A string key/value store that never throws (localStorage with a memory fallback, or a test double). */
export interface KV {
  get(key: string): string | null;
  /** False when the value could not be stored (quota, disabled storage). */
  set(key: string, value: string): boolean;
  del(key: string): void;
  keys(): string[];
  /** True when nothing stored outlives the page (the memory fallback); absent, false. */
  mem?(): boolean;
}

/**
 * What another tab changed in storage (a `storage` event): `newValue` null when it removed `key`;
 * `oldValue`, what it held before (absent: not known).
 */
export interface StoredChange {
  key: string | null;
  newValue: string | null;
  oldValue?: string | null;
}

/** An in-memory KV (also the fallback when storage is missing or throws). */
export function memoryKV(): KV {
  const m = new Map<string, string>();
  return {
    get: (k) => m.get(k) ?? null,
    keys: () => [...m.keys()], // (not Array.from: Prototype.js 1.6 replaces it)
    set: (k, v) => (m.set(k, v), true),
    del: (k) => m.delete(k),
  };
}

/**
 * `kv` (or the one `kv()` gives at each call) made safe: a get that throws reads null, a set that
 * throws is false (a full quota), del/keys never throw, mem is false when it throws or is absent.
 */
export const safeKV = (kv: KV | (() => KV)): KV => {
  /** `kv[k]`, called as a method, answering `d` when it throws (none for `del`). */
  const t = <K extends keyof KV>(k: K, d?: ReturnType<Required<KV>[K]>) =>
    ((...a: never[]) => {
      try {
        return ((typeof kv == 'function' ? kv() : kv)[k] as (...a: never[]) => unknown)(...a);
      } catch {
        return d;
      }
    }) as KV[K];
  // (set first: the order that packs tracker.js smallest; callers read the methods by name)
  return {
    set: t('set', false),
    get: t('get', null),
    del: t('del'),
    mem: t('mem', false),
    keys: t('keys', []),
  };
};
