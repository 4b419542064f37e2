import { memoryKV, safeKV, type KV } from '../lib/kv';

/**
 * localStorage behind a KV that never throws: memory when storage is missing or disabled (the probe
 * throws: Safari private mode, blocked cookies); a full quota or a later error makes `set` return false.
 */
export function storageKV(): KV {
  try {
    const s = window.localStorage;
    const del = (k: string) => s.removeItem(k);
    s.setItem('tt:probe', '1');
    del('tt:probe');
    return safeKV({
      get: (k) => s.getItem(k),
      set: (k, v) => (s.setItem(k, v), true),
      del,
      keys: () => Object.keys(s),
    });
  } catch {
    return memoryKV();
  }
}
